using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Companies;

public static class CompaniesSetup
{
    /// <summary>The directory, profiles and record lists, the company form, and their API section.</summary>
    public static IServiceCollection AddCompanies(this IServiceCollection services) =>
        services.AddScoped<CompanyService>().AddScoped<CompanyEditService>().AddApiTag(CompaniesApi.Tag);
}
