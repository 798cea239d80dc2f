namespace AiLandscape.Web.Features.Disputes;

public static class DisputesSetup
{
    /// <summary>The disputed and unverified figures, and resolving a dispute.</summary>
    public static IServiceCollection AddDisputes(this IServiceCollection services) =>
        services.AddScoped<DisputeService>();
}
