namespace AiLandscape.Web.Features.Dashboard;

public static class DashboardSetup
{
    /// <summary>The home page's panels.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services) =>
        services.AddScoped<DashboardService>();
}
