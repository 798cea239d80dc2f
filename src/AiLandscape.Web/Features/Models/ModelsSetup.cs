using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Models;

public static class ModelsSetup
{
    /// <summary>The /models directory and the model form: the services, and the area's section of the API reference (<see cref="ModelsApi"/>).</summary>
    public static IServiceCollection AddModels(this IServiceCollection services)
    {
        services.AddScoped<ModelDirectoryService>();
        services.AddScoped<ModelEditService>();
        services.AddApiTag(ModelsApi.Tag, "Model releases.");
        return services;
    }
}
