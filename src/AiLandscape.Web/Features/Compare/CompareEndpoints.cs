using System.Globalization;
using System.Text;
using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Export;
using CsvHelper;

namespace AiLandscape.Web.Features.Compare;

public static class CompareEndpoints
{
    public static IEndpointRouteBuilder MapCompareEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/compare.csv", DownloadCsv).WithName("CompareCsv");
        return app;
    }

    /// <summary>The comparison table as CSV (UTF-8 with BOM, so Excel reads the Chinese names).</summary>
    public static async Task<IResult> DownloadCsv(string? c, string? rates, string? asOf, string? view,
        CompareService service, AsOfContexts asOfContexts, CancellationToken ct)
    {
        var mode = CompareUrl.ParseRates(rates);
        var past = AsOfView.Parse(asOf, view, AsOfView.ReadersToday, out var error);
        if (error is not null)
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid as-of view");
        }
        var slugs = CompareUrl.ParseSlugs(c);
        if (past is not null)
        {
            service = await service.AsOfAsync(asOfContexts, past, slugs, ct);
        }
        var result = await service.CompareAsync(slugs, mode, ct);
        var text = new StringBuilder();
        await using (var writer = new StringWriter(text, CultureInfo.InvariantCulture))
        // The exports' options: a cell starting like a formula (=, +, -, @) is escaped, so Excel shows it as text.
        using (var csv = CsvWriter.Create(writer, ExportService.CsvOptions, leaveOpen: true))
        {
            void Field(object? value) => csv.WriteField(value switch
            {
                null => "",
                decimal d => d.ToString(CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                var other => other.ToString() ?? "",
            });
            csv.WriteField("slug"); csv.WriteField("name_en"); csv.WriteField("name_zh");
            csv.WriteField("latest_valuation"); csv.WriteField("latest_valuation_currency"); csv.WriteField("latest_valuation_usd");
            csv.WriteField("latest_valuation_qualifier"); csv.WriteField("latest_valuation_date"); csv.WriteField("latest_valuation_basis");
            csv.WriteField("latest_valuation_disputed"); csv.WriteField("latest_valuation_estimated");
            csv.WriteField("total_raised_usd"); csv.WriteField("total_raised_is_floor"); csv.WriteField("undisclosed_rounds");
            csv.WriteField("valuation_to_raised"); csv.WriteField("rounds"); csv.WriteField("last_round_date");
            csv.WriteField("last_round"); csv.WriteField("lead_investors"); csv.WriteField("usd_rates"); csv.WriteField("reported_totals");
            csv.EndRecord();
            foreach (var r in result.Companies)
            {
                var v = r.LatestValuation;
                Field(r.Slug); Field(r.NameEn); Field(r.NameZh);
                Field(v?.Amount); Field(v?.Currency); Field(v?.Usd?.Usd);
                Field(v?.Qualifier); Field(v is null ? null : Format.Date(v.ValuedOn, v.Precision)); Field(v?.Basis);
                Field(r.LatestValuationDisputed); Field(r.LatestValuationEstimated);
                // An empty total is "nothing disclosed", never zero.
                Field(r.TotalRaised.HasAnyAmount ? r.TotalRaised.Usd : null); Field(r.TotalRaised.IsLowerBound);
                Field(r.TotalRaised.UndisclosedCount);
                Field(r.Multiple?.Value); Field(r.RoundCount);
                Field(r.LastRoundOn is null ? null : Format.Date(r.LastRoundOn, r.LastRoundPrecision));
                Field(r.LastRoundLabel); Field(string.Join("; ", r.LeadInvestors.Select(i => i.NameEn)));
                Field(mode == RateMode.Latest ? "latest stored rate" : "rate of each figure's month");
                // Totals sources state, with their publisher; an unverified one says so in the text.
                Field(string.Join("; ", r.ReportedTotals.Select(t => $"{t.Label} per {t.Publisher}")));
                csv.EndRecord();
            }
        }
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray();
        return TypedResults.File(bytes, "text/csv; charset=utf-8", "ailandscape-compare.csv");
    }
}
