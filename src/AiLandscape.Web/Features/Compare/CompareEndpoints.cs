using System.Globalization;
using System.Text;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Export;
using AiLandscape.Web.Hosting;
using CsvHelper;

namespace AiLandscape.Web.Features.Compare;

/// <summary>
/// /compare.csv (the side-by-side table) and /export/valuations.csv (every valuation of the compared companies), both
/// with /compare's parameters: <c>c</c>, <c>rates</c>, <c>asOf</c> and <c>view</c>. Cells follow <see cref="CsvCells"/>;
/// each row ends with <c>as_of_date</c> and <c>as_of_view</c>, and an as-of file's name says its day and view.
/// </summary>
public static class CompareEndpoints
{
    public static readonly string[] CompareColumns =
    [
        "slug", "name_en", "name_zh",
        "latest_valuation", "latest_valuation_currency", "latest_valuation_usd", "latest_valuation_qualifier",
        "latest_valuation_date", "latest_valuation_precision", "latest_valuation_basis",
        "latest_valuation_disputed", "latest_valuation_estimated",
        "total_raised_usd", "total_raised_is_floor", "undisclosed_rounds", "valuation_to_raised", "rounds",
        "last_round_date", "last_round_precision", "last_round", "lead_investors", "usd_rates", "reported_totals",
        .. CsvCells.AsOfColumns,
    ];

    public static readonly string[] ValuationColumns =
    [
        "company_slug", "company_name_en", "company_name_zh", "valued_on", "valued_precision",
        "amount", "currency", "qualifier", "basis", "usd", "usd_rate", "round_id", "unverified",
        "source_url", "source_publisher", "source_title",
        .. CsvCells.AsOfColumns,
    ];

    public static IEndpointRouteBuilder MapCompareEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/compare.csv", DownloadCsv).WithName("CompareCsv");
        app.MapGet("/export/valuations.csv", ValuationsCsv).WithName("ExportValuations")
            .RequireRateLimiting(Api.ApiSetup.RateLimitPolicy);
        return app;
    }

    /// <summary>The parameters both comparison downloads share, as /compare reads them; a bad as-of view is a 400.</summary>
    private static (RateMode Mode, AsOfView? Past, IReadOnlyList<string> Slugs, IResult? Error) Parameters(
        string? c, string? rates, string? asOf, string? view)
    {
        var past = AsOfView.Parse(asOf, view, AsOfView.ReadersToday, out var error);
        return (CompareUrl.ParseRates(rates), past, CompareUrl.ParseSlugs(c),
            error is null ? null : TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid as-of view"));
    }

    /// <summary>The comparison table as CSV (UTF-8 with BOM, so Excel reads the Chinese names).</summary>
    public static async Task<IResult> DownloadCsv(string? c, string? rates, string? asOf, string? view,
        CompareService service, AsOfContexts asOfContexts, CancellationToken ct)
    {
        var (mode, past, slugs, error) = Parameters(c, rates, asOf, view);
        if (error is not null)
        {
            return error;
        }
        if (past is not null)
        {
            service = service.AsOf(asOfContexts, past);
        }
        var result = await service.CompareAsync(slugs, mode, ct);
        var (asOfDate, asOfView) = CsvCells.AsOf(past);
        var text = new StringBuilder();
        await using (var writer = new StringWriter(text, CultureInfo.InvariantCulture))
        // The exports' options: a cell starting like a formula (=, +, -, @) is escaped, so Excel shows it as text.
        using (var csv = CsvWriter.Create(writer, ExportService.CsvOptions, leaveOpen: true))
        {
            csv.WriteHeader(CompareColumns);
            foreach (var r in result.Companies)
            {
                var v = r.LatestValuation;
                csv.WriteField(r.Slug); csv.WriteField(r.NameEn); csv.WriteField(r.NameZh);
                csv.WriteField(CsvCells.Number(v?.Amount)); csv.WriteField(v?.Currency.Trim()); csv.WriteField(CsvCells.Number(v?.Usd?.Usd));
                csv.WriteField(v?.Qualifier.ToString());
                csv.WriteField(CsvCells.Date(v?.ValuedOn, v?.Precision ?? default));
                csv.WriteField(CsvCells.Precision(v?.ValuedOn, v?.Precision ?? default));
                csv.WriteField(v?.Basis.ToString());
                csv.WriteField(CsvCells.Bool(r.LatestValuationDisputed)); csv.WriteField(CsvCells.Bool(r.LatestValuationEstimated));
                // An empty total is "nothing disclosed", never zero.
                csv.WriteField(CsvCells.Number(r.TotalRaised.HasAnyAmount ? r.TotalRaised.Usd : null));
                csv.WriteField(CsvCells.Bool(r.TotalRaised.IsLowerBound));
                csv.WriteField(CsvCells.Number(r.TotalRaised.UndisclosedCount));
                csv.WriteField(CsvCells.Number(r.Multiple?.Value)); csv.WriteField(CsvCells.Number(r.RoundCount));
                csv.WriteField(CsvCells.Date(r.LastRoundOn, r.LastRoundPrecision));
                csv.WriteField(CsvCells.Precision(r.LastRoundOn, r.LastRoundPrecision));
                csv.WriteField(r.LastRoundLabel); csv.WriteField(string.Join("; ", r.LeadInvestors.Select(i => i.NameEn)));
                csv.WriteField(mode == RateMode.Latest ? "latest stored rate" : "rate of each figure's month");
                // Totals sources state, with their publisher; an unverified one says so in the text.
                csv.WriteField(string.Join("; ", r.ReportedTotals.Select(t => $"{t.Label} per {t.Publisher}")));
                csv.WriteField(asOfDate); csv.WriteField(asOfView);
                csv.EndRecord();
            }
        }
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray();
        return TypedResults.File(bytes, ExportEndpoints.CsvContentType, CsvCells.FileName("compare", past));
    }

    /// <summary>
    /// Every valuation of the companies /compare shows for these parameters: one row per company and date, the amount
    /// as reported and in US dollars (at the figure's month or, with <c>rates=latest</c>, the latest stored rate), and
    /// its first source. Streamed like the other exports.
    /// </summary>
    public static async Task<IResult> ValuationsCsv(HttpContext http, string? c, string? rates, string? asOf, string? view,
        CompareService service, AsOfContexts asOfContexts)
    {
        var ct = http.RequestAborted;
        var (mode, past, slugs, error) = Parameters(c, rates, asOf, view);
        if (error is not null)
        {
            return error;
        }
        if (past is not null)
        {
            service = service.AsOf(asOfContexts, past);
        }
        var (asOfDate, asOfView) = CsvCells.AsOf(past);
        return TypedResults.Stream(async stream =>
        {
            using var streaming = AppExecutionStrategy.StreamRows();
            await using var csv = CsvWriter.Create(stream, ExportService.CsvOptions, leaveOpen: true);
            csv.WriteHeader(ValuationColumns);
            await foreach (var v in service.ValuationHistoryAsync(slugs, mode, ct))
            {
                csv.WriteField(v.Slug); csv.WriteField(v.NameEn); csv.WriteField(v.NameZh);
                csv.WriteField(CsvCells.Date(v.ValuedOn, v.Precision)); csv.WriteField(CsvCells.Precision(v.ValuedOn, v.Precision));
                csv.WriteField(CsvCells.Number(v.Amount)); csv.WriteField(v.Currency); csv.WriteField(v.Qualifier.ToString());
                csv.WriteField(v.Basis.ToString()); csv.WriteField(CsvCells.Number(v.Usd)); csv.WriteField(v.UsdBasis);
                csv.WriteField(CsvCells.Number(v.RoundId)); csv.WriteField(CsvCells.Bool(v.IsUnverified));
                csv.WriteField(v.SourceUrl); csv.WriteField(v.SourcePublisher); csv.WriteField(v.SourceTitle);
                csv.WriteField(asOfDate); csv.WriteField(asOfView);
                await csv.EndRecordAsync(ct);
            }
        }, ExportEndpoints.CsvContentType, CsvCells.FileName("valuations", past));
    }
}
