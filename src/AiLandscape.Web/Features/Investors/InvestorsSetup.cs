using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Investors;

public static class InvestorsSetup
{
    /// <summary>The investors' list and profiles, the investor form, and their API section.</summary>
    public static IServiceCollection AddInvestors(this IServiceCollection services) =>
        services.AddScoped<InvestorService>().AddScoped<InvestorEditService>().AddApiTag(InvestorsApi.Tag);
}
