using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Sources;

public static class SourcesSetup
{
    /// <summary>The /sources list and form, and their section of the API reference.</summary>
    public static IServiceCollection AddSources(this IServiceCollection services) =>
        services.AddScoped<SourceEditService>().AddApiTag(SourcesApi.Tag);
}
