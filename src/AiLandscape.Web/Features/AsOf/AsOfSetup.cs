namespace AiLandscape.Web.Features.AsOf;

public static class AsOfSetup
{
    /// <summary>Reading the data as it stood on a past day: per-circuit contexts, shared snapshot copies.</summary>
    public static IServiceCollection AddAsOf(this IServiceCollection services) =>
        services.AddSingleton<SharedAsOfCopies>().AddSingleton<AsOfContexts>();
}
