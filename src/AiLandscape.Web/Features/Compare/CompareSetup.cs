namespace AiLandscape.Web.Features.Compare;

public static class CompareSetup
{
    /// <summary>The side-by-side comparison (its downloads: <see cref="CompareEndpoints"/>).</summary>
    public static IServiceCollection AddCompare(this IServiceCollection services) =>
        services.AddScoped<CompareService>();
}
