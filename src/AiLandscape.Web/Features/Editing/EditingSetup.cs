using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Editing;

public static class EditingSetup
{
    /// <summary>
    /// What every area's edits share: the audited writer (each write goes through it), the write API's idempotency, who sees edit buttons, and
    /// the write API's section of the reference. Each area registers its own edit service (ADR 0030).
    /// </summary>
    public static IServiceCollection AddEditing(this IServiceCollection services)
    {
        services.AddScoped<AuditedWriter>();
        services.AddScoped<IdempotentWrite>();
        services.AddScoped<EditorAccess>();
        services.AddApiTag(WriteApi.Tag);
        return services;
    }
}
