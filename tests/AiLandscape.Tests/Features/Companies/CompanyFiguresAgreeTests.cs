using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AiLandscape.Tests.Features.Export;
using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Export;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace AiLandscape.Tests.Features.Companies;

/// <summary>
/// A company's total raised, undisclosed rounds, round count and latest valuation are one figure each, shown on the
/// home page, /companies, the profile, /compare, the dashboard's top valuations and /rounds' funding by company, and
/// written to companies.csv, compare.csv and the API's list and profile. Over every seeded company (US dollars, yuan,
/// Hong Kong dollars, undisclosed rounds, ranges, a company without rounds) each must read the same everywhere: the
/// same number, and on pages the same words ("≥ US$1.18B", "undisclosed", "~US$4.8B" with the latest valuation's
/// qualifier as reported, a date at its source's precision). Read as a
/// reader without script gets them: the first HTML, the CSV files and the JSON.
/// </summary>
public partial class CompanyFiguresAgreeTests : IAsyncLifetime
{
    private AppFactory _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _app = new AppFactory(await pg.CreateDatabaseAsync("company_figures"));
        _client = _app.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<IDocument> PageAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}");
        return await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> JsonAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>The figures of one company as its profile in the API gives them: the reference the others must match.</summary>
    private sealed record Expected(decimal? TotalUsd, bool IsFloor, int Undisclosed, int Rounds, decimal? ValuationUsd,
        DateOnly? ValuedOn, DatePrecision ValuedPrecision, FigureQualifier? ValuationQualifier)
    {
        /// <summary>What every page's total says before its notes: "≥ US$1.18B", "US$1.04B", "undisclosed", "no rounds recorded".</summary>
        public string Headline => TotalUsd is { } usd ? (IsFloor ? "≥ " : "") + Format.Money(usd, "USD")
            : Rounds == 0 ? "no rounds recorded" : "undisclosed";

        /// <summary>The latest valuation in US dollars after its qualifier as reported: "~US$4.8B", ">US$1B", "US$2.75B".</summary>
        public string? Valuation => ValuationUsd is { } v ? Format.Money(v, "USD", ValuationQualifier ?? FigureQualifier.Exact) : null;

        public string? ValuationDate => ValuedOn is { } d ? Format.Date(d, ValuedPrecision) : null;
    }

    private static Expected FromApiProfile(JsonElement p)
    {
        var total = p.GetProperty("totalRaised");
        var latest = p.GetProperty("valuations").EnumerateArray()
            .Where(v => !v.GetProperty("isUnverified").GetBoolean())
            .Select(v => (Id: v.GetProperty("id").GetInt32(), On: DateOnly.Parse(v.GetProperty("valued").GetProperty("date").GetString()!, CultureInfo.InvariantCulture),
                Precision: Enum.Parse<DatePrecision>(v.GetProperty("valued").GetProperty("precision").GetString()!),
                Qualifier: Enum.Parse<FigureQualifier>(v.GetProperty("qualifier").GetString()!),
                Value: v.GetProperty("value")))
            .OrderBy(v => v.On).ThenBy(v => v.Id).LastOrDefault();
        decimal? valuationUsd = latest.Value.ValueKind == JsonValueKind.Undefined ? null
            : latest.Value.GetProperty("usd") is { ValueKind: JsonValueKind.Object } usd ? usd.GetProperty("amount").GetDecimal()
            : latest.Value.GetProperty("currency").GetString() == "USD" ? latest.Value.GetProperty("amount").GetDecimal()
            : null;
        return new Expected(
            Number(total.GetProperty("usd")), total.GetProperty("isLowerBound").GetBoolean(),
            total.GetProperty("undisclosedCount").GetInt32(), p.GetProperty("rounds").GetArrayLength(),
            valuationUsd, latest.Value.ValueKind == JsonValueKind.Undefined ? null : latest.On, latest.Precision,
            latest.Value.ValueKind == JsonValueKind.Undefined ? null : latest.Qualifier);
    }

    private static decimal? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDecimal();

    private static decimal? Number(string cell) => cell.Length == 0 ? null : decimal.Parse(cell, CultureInfo.InvariantCulture);

    /// <summary>The element's text as a reader sees it: its pieces apart ("US$1B" and "Dec 2023" are two spans), one space between words.</summary>
    private static string Text(IElement? e) =>
        e is null ? "" : Whitespace().Replace(string.Join(" ", e.Descendants<IText>().Select(t => t.Data)), " ").Trim();

    /// <summary>The table row that links to the company's profile.</summary>
    private static IElement? Row(IDocument page, string rows, string slug) =>
        page.QuerySelectorAll(rows).FirstOrDefault(r => r.QuerySelector($"a[href='/companies/{slug}']") is not null);

    private static Xunit.Sdk.XunitException Missing(string slug, string where) => new($"{slug} is not listed on {where}");

    /// <summary>Every US-dollar figure in a text, e.g. ["US$4.8B"] from "~US$4.8B Jan 2026 · post-money".</summary>
    private static List<string> UsdFigures(string text) => UsdFigure().Matches(text).Select(m => m.Value).ToList();

    /// <summary>
    /// The latest valuation as a cell shows it: the qualifier of its first figure (the one reported: "~HK$51B ≈ US$6.55B"
    /// qualifies the yuan, dollar or HK-dollar amount) before each US-dollar figure, e.g. "~US$6.55B"; "none" without one.
    /// </summary>
    private static string ValuationShown(string text) =>
        UsdFigures(text) is { Count: > 0 } usd ? FirstFigure().Match(text).Groups["q"].Value + string.Join(" | ", usd) : "none";

    /// <summary>The undisclosed rounds a total's words count: "…; 2 rounds undisclosed" or "Undisclosed (3 rounds)".</summary>
    private static int UndisclosedIn(string total) =>
        UndisclosedNote().Match(total) is { Success: true } note ? int.Parse(note.Groups[1].Value, CultureInfo.InvariantCulture)
        : OnlyUndisclosed().Match(total) is { Success: true } only ? int.Parse(only.Groups[1].Value, CultureInfo.InvariantCulture)
        : 0;

    /// <summary>
    /// The date as written, not as part of a more precise one: "Jan 2026" is not shown by "9 Jan 2026", nor "2022" by
    /// "Q1 2022" or "Mar 2022".
    /// </summary>
    private static bool ShowsDate(string text, string date) =>
        Regex.IsMatch(text, @"(?<!\d )(?<!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Q[1-4]) )(?<!\w)" + Regex.Escape(date) + @"(?!\w)",
            RegexOptions.None, TimeSpan.FromSeconds(1));

    [Fact]
    public async Task Every_companys_total_raised_rounds_and_latest_valuation_read_the_same_on_every_page_csv_and_api()
    {
        var list = await JsonAsync("/api/v1/companies?pageSize=100");
        var slugs = list.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("slug").GetString()!).ToList();
        // Every seeded company, among them totals in yuan and HK dollars, undisclosed rounds, ranges and no rounds at all.
        Assert.Equal(["01-ai", "baichuan", "deepseek", "minimax", "moonshot-ai", "stepfun", "zhipu-ai"], slugs.Order(StringComparer.Ordinal));
        var expected = new Dictionary<string, Expected>();
        foreach (var slug in slugs)
        {
            expected[slug] = FromApiProfile(await JsonAsync($"/api/v1/companies/{slug}"));
        }
        Assert.Contains(expected.Values, e => e.TotalUsd is not null && !e.IsFloor);
        Assert.Contains(expected.Values, e => e.IsFloor && e.Undisclosed > 0);
        Assert.Contains(expected.Values, e => e.TotalUsd is null && e.Rounds > 0);
        Assert.Contains(expected.Values, e => e.Rounds == 0);
        Assert.Contains(expected.Values, e => e.ValuedPrecision == DatePrecision.Day);
        // Latest valuations reported "about" a figure, in US dollars and in another currency, beside exact ones.
        Assert.Contains(expected.Values, e => e.ValuationQualifier == FigureQualifier.Approximate && e.ValuationUsd is not null);
        Assert.Contains(expected.Values, e => e.ValuationQualifier == FigureQualifier.Exact && e.ValuationUsd is not null);

        var companiesCsv = (await ExportTests.CsvAsync(_client, "/export/companies.csv")).Rows.ToDictionary(r => r["slug"]);
        var compareQuery = "c=" + string.Join(",", slugs);
        var compareCsv = (await ExportTests.CsvAsync(_client, "/compare.csv?" + compareQuery)).Rows.ToDictionary(r => r["slug"]);
        var home = await PageAsync("/");
        var directory = await PageAsync("/companies");
        var compare = await PageAsync("/compare?" + compareQuery);
        var byCompany = await PageAsync("/rounds?view=company");
        var topValuations = home.QuerySelector("[data-testid=top-valuations]");
        Assert.NotNull(topValuations);

        var wrong = new List<string>();
        void Same<T>(string slug, string figure, T want, params (string Where, T Got)[] shown)
        {
            foreach (var (where, got) in shown.Where(s => !EqualityComparer<T>.Default.Equals(s.Got, want)))
            {
                wrong.Add($"{slug}: {figure} on {where} is '{got}', elsewhere '{want}'");
            }
        }

        foreach (var slug in slugs)
        {
            var e = expected[slug];
            var apiItem = list.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("slug").GetString() == slug);
            var apiRow = apiItem.GetProperty("figures");
            var profile = await PageAsync($"/companies/{slug}");
            var homeRow = Row(home, "[data-testid=company-table] tbody tr", slug) ?? throw Missing(slug, "the home page");
            var directoryRow = Row(directory, "[data-testid=company-grid] tbody tr", slug) ?? throw Missing(slug, "/companies");
            var compareRow = Row(compare, "[data-testid=compare-table] tbody tr", slug) ?? throw Missing(slug, "/compare");
            var byCompanyRow = Row(byCompany, "[data-testid=by-company-row]", slug);
            var topRow = Row(home, "[data-testid=top-valuations] tr", slug);

            // Total raised: the exact number in the files and the API, the same words on the pages.
            Same(slug, "total raised (US$)", e.TotalUsd,
                ("/api/v1/companies", Number(apiRow.GetProperty("totalRaisedUsd"))),
                ("companies.csv", Number(companiesCsv[slug]["total_raised_usd"])),
                ("compare.csv", Number(compareCsv[slug]["total_raised_usd"])));
            Same(slug, "total raised is a floor", e.IsFloor,
                ("/api/v1/companies", apiRow.GetProperty("totalRaisedIsFloor").GetBoolean()),
                ("companies.csv", companiesCsv[slug]["total_raised_is_floor"] == "true"),
                ("compare.csv", compareCsv[slug]["total_raised_is_floor"] == "true"));
            var profileTotal = Text(profile.QuerySelector("[data-testid=key-total-raised] .mud-typography-h6"));
            var homeTotal = Text(homeRow.QuerySelector("[data-testid=total-raised]"));
            var compareTotal = Text(compareRow.QuerySelector("[data-testid=compare-raised] div"));
            static string Headline(string total) => total.Split(';')[0].Split(" (")[0].Trim().ToLowerInvariant();
            Same(slug, "total raised", e.Headline.ToLowerInvariant(),
                ("the profile", Headline(profileTotal)),
                ("the home page", Headline(homeTotal)),
                ("/companies", Headline(Text(directoryRow.QuerySelector("[data-testid=total-raised]")))),
                ("/compare", Headline(compareTotal)),
                ("/rounds' funding by company", byCompanyRow is null ? "no rounds recorded" : Headline(Text(byCompanyRow.QuerySelector("[data-testid=by-company-raised]")))));

            // Undisclosed rounds are counted apart wherever the total is shown.
            Same(slug, "undisclosed rounds", e.Undisclosed,
                ("/api/v1/companies", apiRow.GetProperty("undisclosedRoundCount").GetInt32()),
                ("companies.csv", int.Parse(companiesCsv[slug]["undisclosed_rounds"], CultureInfo.InvariantCulture)),
                ("compare.csv", int.Parse(compareCsv[slug]["undisclosed_rounds"], CultureInfo.InvariantCulture)),
                ("the profile", UndisclosedIn(profileTotal)),
                ("the home page", UndisclosedIn(homeTotal)),
                ("/compare", UndisclosedIn(compareTotal)),
                ("/rounds' funding by company", byCompanyRow is null ? 0 : int.Parse(Text(byCompanyRow.QuerySelector("[data-testid=by-company-undisclosed]")), CultureInfo.InvariantCulture)));

            // Rounds, every one recorded.
            Same(slug, "rounds", e.Rounds,
                ("/api/v1/companies", apiRow.GetProperty("roundCount").GetInt32()),
                ("companies.csv", int.Parse(companiesCsv[slug]["rounds"], CultureInfo.InvariantCulture)),
                ("compare.csv", int.Parse(compareCsv[slug]["rounds"], CultureInfo.InvariantCulture)),
                ("the profile", int.Parse("0" + Text(profile.QuerySelector("[data-testid=key-round-count]")), CultureInfo.InvariantCulture)),
                ("/compare", int.Parse("0" + Text(compareRow.QuerySelector("[data-testid=compare-rounds]")), CultureInfo.InvariantCulture)));

            // Latest valuation: the same US-dollar number and the same date, at the precision its source gave.
            Same(slug, "latest valuation (US$)", e.ValuationUsd,
                ("/api/v1/companies", Number(apiRow.GetProperty("latestValuationUsd"))),
                ("companies.csv", Number(companiesCsv[slug]["latest_valuation_usd"])),
                ("compare.csv", Number(compareCsv[slug]["latest_valuation_usd"])));
            Same(slug, "latest valuation date", CsvCells.Date(e.ValuedOn, e.ValuedPrecision) ?? "",
                ("companies.csv", companiesCsv[slug]["latest_valuation_on"]),
                ("compare.csv", compareCsv[slug]["latest_valuation_date"]));
            Same(slug, "latest valuation date (API list)", e.ValuedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ("/api/v1/companies", apiRow.GetProperty("latestValuationOn").GetString()));
            Same(slug, "latest valuation qualifier", e.ValuationQualifier?.ToString() ?? "",
                ("/api/v1/companies", apiRow.GetProperty("latestValuationQualifier").GetString() ?? ""),
                ("companies.csv", companiesCsv[slug]["latest_valuation_qualifier"]),
                ("compare.csv", compareCsv[slug]["latest_valuation_qualifier"]));
            var valuationCells = new (string Where, string Text)[]
            {
                ("the profile", Text(profile.QuerySelector("[data-testid=key-latest-valuation]"))),
                ("the home page", Text(homeRow.QuerySelector("[data-testid=latest-valuation]"))),
                ("/companies", Text(directoryRow.QuerySelector("[data-testid=latest-valuation]"))),
                ("/compare", Text(compareRow.QuerySelector("[data-testid=compare-valuation]"))),
            };
            if (e.Valuation is { } valuation)
            {
                Assert.True(topRow is not null, $"{slug} has a valuation but is not among the top valuations");
                var cells = valuationCells.Append(("the home page's top valuations", Text(topRow))).ToArray();
                Same(slug, "latest valuation", valuation, cells.Select(c => (c.Item1 + $" ('{c.Item2}')", ValuationShown(c.Item2))).ToArray());
                Same(slug, "latest valuation date", true, cells.Select(c => (c.Item1 + $" ('{c.Item2}' for {e.ValuationDate})", ShowsDate(c.Item2, e.ValuationDate!))).ToArray());
            }
            else
            {
                Same(slug, "latest valuation", "none", valuationCells.Select(c => (c.Where, UsdFigures(c.Text).Count == 0 ? "none" : c.Text)).ToArray());
                Assert.Null(topRow);
                // Named instead under the panel, among the companies with no reported valuation.
                Assert.Contains(apiItem.GetProperty("nameEn").GetString()!, Text(topValuations.ParentElement));
            }
        }
        Assert.True(wrong.Count == 0, "Figures that disagree:\n" + string.Join("\n", wrong));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"US\$[0-9][0-9.]*[KMBT]?")]
    private static partial Regex UsdFigure();

    /// <summary>A money figure as <see cref="Format.Money"/> writes it, in any currency, with its qualifier's sign.</summary>
    [GeneratedRegex(@"(?<q>[~<>]?)(?:US\$|HK\$|JP¥|S\$|¥|€|£|[A-Z]{3} )[0-9]")]
    private static partial Regex FirstFigure();

    [GeneratedRegex(@"(\d+) rounds? undisclosed")]
    private static partial Regex UndisclosedNote();

    [GeneratedRegex(@"^Undisclosed \((\d+) rounds?\)")]
    private static partial Regex OnlyUndisclosed();
}
