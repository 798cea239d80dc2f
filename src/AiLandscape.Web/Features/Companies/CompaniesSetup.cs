using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Companies;

public static class CompaniesSetup
{
    /// <summary>The company directory, profiles and company records' lists, and the company form: the services, and the area's section of the API reference (<see cref="CompaniesApi"/>).</summary>
    public static IServiceCollection AddCompanies(this IServiceCollection services)
    {
        services.AddScoped<CompanyService>();
        services.AddScoped<CompanyEditService>();
        services.AddApiTag(CompaniesApi.Tag, "The company directory and profiles.");
        return services;
    }
}
