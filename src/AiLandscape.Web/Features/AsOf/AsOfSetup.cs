namespace AiLandscape.Web.Features.AsOf;

public static class AsOfSetup
{
    /// <summary>Reading the data as it stood on a past day: the per-circuit contexts and the snapshot copies they share.</summary>
    public static IServiceCollection AddAsOf(this IServiceCollection services)
    {
        services.AddSingleton<SharedAsOfCopies>();
        services.AddSingleton<AsOfContexts>();
        return services;
    }
}
