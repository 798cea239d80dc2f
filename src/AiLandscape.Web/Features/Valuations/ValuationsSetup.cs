using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Valuations;

public static class ValuationsSetup
{
    /// <summary>The valuation form, and the valuations' section of the API reference.</summary>
    public static IServiceCollection AddValuations(this IServiceCollection services) =>
        services.AddScoped<ValuationEditService>().AddApiTag(ValuationsApi.Tag);
}
