using System.Globalization;
using System.Text.RegularExpressions;
using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Compare;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Export;

/// <summary>
/// Every CSV in one format (plain invariant numbers, ISO dates with a precision column), the valuation history an
/// investor takes to Excel, and downloads that say which view and day they hold.
/// </summary>
public class CsvFormatTests : IAsyncLifetime
{
    private static readonly Regex PlainNumber = new(@"^-?\d+(\.\d*[1-9])?$");
    private static readonly Regex IsoAtPrecision = new(@"^\d{4}(-Q[1-4]|-\d{2}(-\d{2})?)?$");

    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("csv_format");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/compare.csv?c=baichuan,moonshot-ai,minimax,zhipu-ai,deepseek",
        "latest_valuation,latest_valuation_usd,total_raised_usd,undisclosed_rounds,valuation_to_raised,rounds")]
    [InlineData("/export/valuations.csv", "amount,usd,round_id")]
    [InlineData("/export/companies.csv", "total_raised_usd,rounds,undisclosed_rounds,investors,latest_valuation_usd")]
    [InlineData("/export/rounds.csv", "amount,amount_min,post_money,id,usd")]
    [InlineData("/export/investors.csv", "rounds,companies")]
    public async Task Every_number_cell_is_plain_invariant_without_trailing_zeros_or_separators(string path, string columns)
    {
        using var client = _app.App.CreateClient();
        var (header, rows, _) = await ExportTests.CsvAsync(client, path);
        Assert.NotEmpty(rows);
        foreach (var column in columns.Split(','))
        {
            Assert.Contains(column, header);
            var cells = rows.Select(r => r[column]).Where(v => v != "").ToList();
            Assert.NotEmpty(cells);
            Assert.All(cells, v => Assert.Matches(PlainNumber, v));
        }
    }

    [Fact]
    public async Task Compare_csv_writes_iso_dates_with_their_precision_and_says_it_is_the_current_view()
    {
        using var client = _app.App.CreateClient();
        var response = await client.GetAsync("/compare.csv?c=baichuan,moonshot-ai");
        Assert.Equal("ailandscape-compare.csv", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        var (header, rows, _) = await ExportTests.CsvAsync(client, "/compare.csv?c=baichuan,moonshot-ai");
        Assert.Equal(CompareEndpoints.CompareColumns, header);
        var baichuan = rows.Single(r => r["slug"] == "baichuan");
        // Was "20000000000.0000" beside "2787806136" and "Jul 2024".
        Assert.Equal(("20000000000", "CNY", "2024-07", "Month"),
            (baichuan["latest_valuation"], baichuan["latest_valuation_currency"], baichuan["latest_valuation_date"], baichuan["latest_valuation_precision"]));
        Assert.Equal(Math.Round(20_000_000_000m / 7.2547m).ToString(CultureInfo.InvariantCulture), baichuan["latest_valuation_usd"]);
        Assert.All(rows, r =>
        {
            Assert.Matches(IsoAtPrecision, r["last_round_date"]);
            Assert.Contains(r["last_round_precision"], new[] { "Day", "Month", "Quarter", "Year" });
            Assert.Equal("current", r["as_of_view"]);
            var day = DateOnly.ParseExact(r["as_of_date"], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.InRange(day.DayNumber, DateOnly.FromDateTime(DateTime.UtcNow).DayNumber - 1, DateOnly.FromDateTime(DateTime.UtcNow).DayNumber);
        });
    }

    [Fact]
    public async Task Companies_csv_writes_each_date_at_its_precision_with_a_precision_column()
    {
        using var client = _app.App.CreateClient();
        var (header, rows, _) = await ExportTests.CsvAsync(client, "/export/companies.csv");
        Assert.Equal(AiLandscape.Web.Features.Export.ExportService.CompanyColumns, header);
        foreach (var (date, precision) in new[] { ("founded", "founded_precision"), ("last_round_on", "last_round_precision"), ("latest_valuation_on", "latest_valuation_precision") })
        {
            Assert.All(rows.Where(r => r[date] != ""), r =>
            {
                Assert.Matches(IsoAtPrecision, r[date]);
                // The text has exactly the parts its precision knows: "2024-07" is a month, "2023" a year.
                Assert.Equal(r[precision] switch { "Year" => 4, "Quarter" => 7, "Month" => 7, _ => 10 }, r[date].Length);
            });
            Assert.All(rows.Where(r => r[date] == ""), r => Assert.Equal("", r[precision]));
        }
        // Baichuan's latest valuation (July 2024) is known to the month, not the day (it was written "2024-07-01").
        var baichuan = rows.Single(r => r["slug"] == "baichuan");
        Assert.Equal(("2024-07", "Month"), (baichuan["latest_valuation_on"], baichuan["latest_valuation_precision"]));
    }

    [Fact]
    public async Task An_as_of_download_states_its_day_and_view_in_its_rows_and_its_file_name()
    {
        using var client = _app.App.CreateClient();
        foreach (var (path, name) in new[]
                 {
                     ("/compare.csv?c=moonshot-ai,minimax&asOf=2025-01-01&view=event", "ailandscape-compare-as-of-2025-01-01-event.csv"),
                     ("/export/valuations.csv?c=moonshot-ai,minimax&asOf=2025-01-01&view=event", "ailandscape-valuations-as-of-2025-01-01-event.csv"),
                 })
        {
            var response = await client.GetAsync(path);
            var disposition = response.Content.Headers.ContentDisposition!;
            Assert.Equal(name, disposition.FileNameStar ?? disposition.FileName?.Trim('"'));
            var (_, rows, _) = await ExportTests.CsvAsync(client, path);
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Equal(("2025-01-01", "event"), (r["as_of_date"], r["as_of_view"])));
        }
        // As of that day, no valuation dated later is in the history.
        var (_, history, _) = await ExportTests.CsvAsync(client, "/export/valuations.csv?c=moonshot-ai,minimax&asOf=2025-01-01&view=event");
        Assert.All(history, r => Assert.True(string.CompareOrdinal(r["valued_on"], "2025-01-01") <= 0, r["valued_on"]));
    }

    [Fact]
    public async Task Valuation_history_has_one_row_per_company_and_date_from_the_seed_native_and_in_dollars_with_a_source()
    {
        using var client = _app.App.CreateClient();
        var (header, rows, _) = await ExportTests.CsvAsync(client, "/export/valuations.csv?c=moonshot-ai,baichuan");
        Assert.Equal(CompareEndpoints.ValuationColumns, header);

        await using var db = _app.Db();
        var seed = await db.ValuationPoints.AsNoTracking().Where(v => v.Company.Slug == "moonshot-ai" || v.Company.Slug == "baichuan")
            .Select(v => new { v.Company.Slug, v.ValuedOn, v.Precision, v.Amount, Currency = v.Currency.Trim() })
            .ToListAsync();
        Assert.Equal(seed.Count, rows.Count);
        // In the comparison's order, each company's oldest first.
        Assert.Equal(rows.OrderBy(r => r["company_slug"] == "moonshot-ai" ? 0 : 1).ThenBy(r => r["valued_on"], StringComparer.Ordinal)
            .Select(r => r["company_slug"] + r["valued_on"]), rows.Select(r => r["company_slug"] + r["valued_on"]));
        foreach (var v in seed)
        {
            var written = Web.Features.Editing.PartialDates.Write(v.ValuedOn, v.Precision);
            Assert.Contains(rows, r => r["company_slug"] == v.Slug && r["valued_on"] == written && r["valued_precision"] == v.Precision.ToString()
                && r["amount"] == v.Amount.ToString("0.####", CultureInfo.InvariantCulture) && r["currency"] == v.Currency);
        }

        var baichuan = rows.Single(r => r["company_slug"] == "baichuan" && r["valued_on"] == "2024-07");
        Assert.Equal(("20000000000", "CNY", "Month"), (baichuan["amount"], baichuan["currency"], baichuan["valued_precision"]));
        Assert.Equal(Math.Round(20_000_000_000m / 7.2547m).ToString(CultureInfo.InvariantCulture), baichuan["usd"]);
        Assert.Equal("百川智能", baichuan["company_name_zh"]);
        Assert.All(rows, r => Assert.StartsWith("http", r["source_url"], StringComparison.Ordinal));
        Assert.All(rows.Where(r => r["currency"] == "USD"), r => Assert.Equal(r["amount"], r["usd"]));
    }

    [Fact]
    public async Task The_export_page_links_every_download_with_its_columns_and_the_menu_and_compare_link_it()
    {
        using var client = _app.App.CreateClient();
        var html = await client.GetStringAsync("/export");
        foreach (var href in new[] { "/export/valuations.csv", "/compare.csv", "/export/companies.csv", "/export/rounds.csv",
                     "/export/investors.csv", "/export/models.csv", "/export/dataset.json" })
        {
            Assert.Contains($"href=\"{href}\"", html, StringComparison.Ordinal);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(href)).StatusCode);
        }
        Assert.Contains("valued_on, valued_precision", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/export\"", await client.GetStringAsync("/"), StringComparison.Ordinal);
        var compare = await client.GetStringAsync("/compare?c=moonshot-ai,minimax");
        Assert.Contains("href=\"/export/valuations.csv?c=moonshot-ai,minimax\"", compare, StringComparison.Ordinal);
    }
}
