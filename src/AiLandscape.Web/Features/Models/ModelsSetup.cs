using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Models;

public static class ModelsSetup
{
    /// <summary>The /models directory, the model form, and their section of the API reference.</summary>
    public static IServiceCollection AddModels(this IServiceCollection services) =>
        services.AddScoped<ModelDirectoryService>().AddScoped<ModelEditService>().AddApiTag(ModelsApi.Tag);
}
