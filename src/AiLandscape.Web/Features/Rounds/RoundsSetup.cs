using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Rounds;

public static class RoundsSetup
{
    /// <summary>The /rounds list, the round form, and their section of the API reference.</summary>
    public static IServiceCollection AddRounds(this IServiceCollection services) =>
        services.AddScoped<RoundService>().AddScoped<RoundEditService>().AddApiTag(RoundsApi.Tag);
}
