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
        return services;
    }
}
