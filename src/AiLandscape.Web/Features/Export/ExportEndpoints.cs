using AiLandscape.Web.Features.Models;
using AiLandscape.Web.Features.Rounds;

namespace AiLandscape.Web.Features.Export;

/// <summary>Streamed downloads: /export/companies.csv, rounds.csv (with the /rounds filters), investors.csv, models.csv (with the /models filters), dataset.json.</summary>
public static class ExportEndpoints
{
    public const string CsvContentType = "text/csv; charset=utf-8";

    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        // Exports read whole tables: they share the API's per-client rate limit.
        var group = app.MapGroup("/export").RequireRateLimiting(Api.ApiSetup.RateLimitPolicy);
        group.MapGet("/companies.csv", Companies).WithName("ExportCompanies");
        group.MapGet("/rounds.csv", RoundsCsv).WithName("ExportRounds");
        group.MapGet("/investors.csv", Investors).WithName("ExportInvestors");
        group.MapGet("/models.csv", ModelsCsv).WithName("ExportModels");
        group.MapGet("/dataset.json", Dataset).WithName("ExportDataset");
        return app;
    }

    public static IResult Companies(HttpContext http, ExportService export) =>
        TypedResults.Stream(stream => export.WriteCompaniesCsvAsync(stream, http.RequestAborted), CsvContentType, "ailandscape-companies.csv");

    public static IResult Investors(HttpContext http, ExportService export) =>
        TypedResults.Stream(stream => export.WriteInvestorsCsvAsync(stream, http.RequestAborted), CsvContentType, "ailandscape-investors.csv");

    /// <summary>Reads exactly the /rounds page's query parameters (sort and direction too; page and size are ignored).</summary>
    public static IResult RoundsCsv(HttpContext http, ExportService export)
    {
        var q = http.Request.Query;
        string[] Many(string name) => q[name].OfType<string>().ToArray();
        var query = RoundQuery.FromQueryString(q["from"], q["to"], Many("stage"), q["min"], q["max"], Many("disclosure"),
            q["company"], q["investor"], Many("currency"), q["sort"], q["dir"], null, null);
        return TypedResults.Stream(stream => export.WriteRoundsCsvAsync(stream, query, http.RequestAborted), CsvContentType,
            "ailandscape-rounds.csv");
    }

    /// <summary>Reads exactly the /models page's query parameters (company, year, open, licence, sort; page is ignored).</summary>
    public static IResult ModelsCsv(HttpContext http, ExportService export)
    {
        var q = http.Request.Query;
        var query = ModelDirectoryUrl.Parse(q["company"], q["year"], q["open"], q["licence"], q["sort"], null);
        return TypedResults.Stream(stream => export.WriteModelsCsvAsync(stream, query, http.RequestAborted), CsvContentType,
            "ailandscape-models.csv");
    }

    public static IResult Dataset(HttpContext http, ExportService export) =>
        TypedResults.Stream(stream => export.WriteDatasetJsonAsync(stream, http.RequestAborted), "application/json; charset=utf-8",
            "ailandscape-dataset.json");
}
