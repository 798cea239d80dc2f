namespace AiLandscape.Web.Features.RoundLabels;

public static class RoundLabelsSetup
{
    /// <summary>The round-label table and its form.</summary>
    public static IServiceCollection AddRoundLabels(this IServiceCollection services) =>
        services.AddScoped<RoundLabelService>();
}
