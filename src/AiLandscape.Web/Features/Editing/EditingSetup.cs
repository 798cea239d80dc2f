using AiLandscape.Web.Features.History;
using AiLandscape.Web.Features.Rounds;

namespace AiLandscape.Web.Features.Editing;

public static class EditingSetup
{
    /// <summary>The audited writer and every area's edit service (each write goes through the writer).</summary>
    public static IServiceCollection AddEditing(this IServiceCollection services)
    {
        services.AddScoped<AuditedWriter>();
        services.AddScoped<HistoryService>();
        services.AddScoped<RoundEditService>();
        services.AddScoped<AiLandscape.Web.Features.Companies.CompanyEditService>();
        services.AddScoped<AiLandscape.Web.Features.People.PersonEditService>();
        services.AddScoped<AiLandscape.Web.Features.Investors.InvestorEditService>();
        return services;
    }
}
