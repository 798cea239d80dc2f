namespace AiLandscape.Web.Features.AsOf;

public static class AsOfSetup
{
    /// <summary>Reading the data as it stood on a past day: contexts over the kept history and the figure steps.</summary>
    public static IServiceCollection AddAsOf(this IServiceCollection services) => services.AddSingleton<AsOfContexts>();
}
