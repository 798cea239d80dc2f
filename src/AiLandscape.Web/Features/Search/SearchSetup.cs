using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Search;

public static class SearchSetup
{
    /// <summary>The search over every kind of record: the services, and the area's section of the API reference (<see cref="SearchApi"/>).</summary>
    public static IServiceCollection AddSearch(this IServiceCollection services)
    {
        services.AddScoped<SearchService>();
        services.AddApiTag(SearchApi.Tag, "One search over companies, investors, people, models and sources (the site's search box).");
        return services;
    }
}
