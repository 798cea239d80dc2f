using AiLandscape.Web.Data;

namespace AiLandscape.Web.Features.Companies;

/// <summary>Translates between the /companies URL, the grid's columns and a <see cref="CompanyQuery"/>.</summary>
public static class CompanyListUrl
{
    private static readonly Dictionary<string, (CompanySort Sort, string Column)> Params = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = (CompanySort.Name, "NameEn"),
        ["city"] = (CompanySort.City, "HeadquartersCity"),
        ["founded"] = (CompanySort.Founded, "FoundedOn"),
        ["raised"] = (CompanySort.TotalRaised, "Figures.TotalRaisedUsd"),
        ["valuation"] = (CompanySort.LatestValuation, "Figures.LatestValuationUsd"),
        ["lastround"] = (CompanySort.LastRound, "Figures.LastRoundOn"),
    };

    /// <summary>The sort keys the URL (and the API's <c>sort</c>) accepts: name, city, founded, raised, ...</summary>
    public static IReadOnlyList<string> SortParams { get; } = Params.Keys.ToList();

    public static CompanySort? SortFor(string? param) =>
        param is not null && Params.TryGetValue(param, out var p) ? p.Sort : null;

    public static string? ColumnFor(string? param) =>
        param is not null && Params.TryGetValue(param, out var p) ? p.Column : null;

    public static string? ParamFor(CompanySort sort) =>
        Params.FirstOrDefault(p => p.Value.Sort == sort).Key;

    public static Func<CompanyRow, object> SortFunc(string column) => column switch
    {
        "HeadquartersCity" => r => r.HeadquartersCity ?? "",
        "FoundedOn" => r => r.FoundedOn ?? DateOnly.MaxValue,
        "Figures.TotalRaisedUsd" => r => r.Figures.TotalRaisedUsd ?? -1,
        "Figures.LatestValuationUsd" => r => r.Figures.LatestValuationUsd ?? -1,
        "Figures.LastRoundOn" => r => r.Figures.LastRoundOn ?? DateOnly.MinValue,
        _ => r => r.NameEn,
    };

    public static CompanyQuery ToQuery(string? q, string? sector, string? city, string? status, string? group, int? from,
        int? to, decimal? raisedMin, decimal? raisedMax, string? sortColumn, bool descending, int page, int pageSize)
    {
        var sort = Params.Values.Where(p => string.Equals(p.Column, sortColumn, StringComparison.Ordinal))
            .Select(p => (CompanySort?)p.Sort).FirstOrDefault() ?? CompanySort.Relevance;
        return new CompanyQuery
        {
            Search = q, Sector = sector, City = city, Group = group, FoundedFrom = from, FoundedTo = to,
            Status = Enum.TryParse<CompanyStatus>(status, ignoreCase: true, out var s) ? s : null,
            RaisedMinMillions = raisedMin, RaisedMaxMillions = raisedMax,
            Sort = sort == CompanySort.Relevance && string.IsNullOrWhiteSpace(q) ? CompanySort.Name : sort,
            Descending = descending, Page = page, PageSize = pageSize,
        };
    }
}
