using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Valuations;

public static class ValuationsSetup
{
    /// <summary>The valuation form: the services, and the area's section of the API reference (<see cref="ValuationsApi"/>).</summary>
    public static IServiceCollection AddValuations(this IServiceCollection services)
    {
        services.AddScoped<ValuationEditService>();
        services.AddApiTag(ValuationsApi.Tag, "Valuation points over time.");
        return services;
    }
}
