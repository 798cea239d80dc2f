using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Investors;

public static class InvestorsSetup
{
    /// <summary>The investors' list and profiles, and the investor form: the services, and the area's section of the API reference (<see cref="InvestorsApi"/>).</summary>
    public static IServiceCollection AddInvestors(this IServiceCollection services)
    {
        services.AddScoped<InvestorService>();
        services.AddScoped<InvestorEditService>();
        services.AddApiTag(InvestorsApi.Tag, "Investors, their portfolios and co-investors.");
        return services;
    }
}
