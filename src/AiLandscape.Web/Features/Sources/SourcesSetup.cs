using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Sources;

public static class SourcesSetup
{
    /// <summary>The /sources list and the source form: the services, and the area's section of the API reference (<see cref="SourcesApi"/>).</summary>
    public static IServiceCollection AddSources(this IServiceCollection services)
    {
        services.AddScoped<SourceEditService>();
        services.AddApiTag(SourcesApi.Tag, "The articles, filings and announcements behind every figure.");
        return services;
    }
}
