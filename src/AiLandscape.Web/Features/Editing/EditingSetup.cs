using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Disputes;
using AiLandscape.Web.Features.Events;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.History;
using AiLandscape.Web.Features.Investors;
using AiLandscape.Web.Features.Models;
using AiLandscape.Web.Features.People;
using AiLandscape.Web.Features.RoundLabels;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Features.Valuations;

namespace AiLandscape.Web.Features.Editing;

public static class EditingSetup
{
    /// <summary>The audited writer and every area's edit service (each write goes through the writer).</summary>
    public static IServiceCollection AddEditing(this IServiceCollection services)
    {
        services.AddScoped<AuditedWriter>();
        services.AddScoped<IdempotentWrite>();
        services.AddScoped<HistoryService>();
        services.AddScoped<CompanyEditService>();
        services.AddScoped<PersonEditService>();
        services.AddScoped<InvestorEditService>();
        services.AddScoped<RoundEditService>();
        services.AddScoped<ValuationEditService>();
        services.AddScoped<EventEditService>();
        services.AddScoped<ModelEditService>();
        services.AddScoped<SourceEditService>();
        services.AddScoped<ExchangeRateEditService>();
        services.AddScoped<RoundLabelService>();
        services.AddScoped<DisputeService>();
        return services;
    }
}
