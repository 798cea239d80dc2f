namespace AiLandscape.Web.Features.History;

public static class HistorySetup
{
    /// <summary>The audit history and reverting a change.</summary>
    public static IServiceCollection AddHistory(this IServiceCollection services) =>
        services.AddScoped<HistoryService>();
}
