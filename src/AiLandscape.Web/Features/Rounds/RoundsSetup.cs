using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Rounds;

public static class RoundsSetup
{
    /// <summary>The /rounds list and the round form: the services, and the area's section of the API reference (<see cref="RoundsApi"/>).</summary>
    public static IServiceCollection AddRounds(this IServiceCollection services)
    {
        services.AddScoped<RoundService>();
        services.AddScoped<RoundEditService>();
        services.AddApiTag(RoundsApi.Tag, "Funding rounds with their size, valuation and investors.");
        return services;
    }
}
