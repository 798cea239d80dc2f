using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Search;

public static class SearchSetup
{
    /// <summary>The search over every kind of record, and its section of the API reference.</summary>
    public static IServiceCollection AddSearch(this IServiceCollection services) =>
        services.AddScoped<SearchService>().AddApiTag(SearchApi.Tag);
}
