using System.Net;
using System.Text;
using System.Text.Json;
using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Features.Import;
using CsvHelper;

namespace AiLandscape.Tests.Features.Export;

/// <summary>The downloads: CSV that Excel and pandas read (UTF-8 with BOM), undisclosed never 0, the dataset as JSON.</summary>
public class ExportTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("export");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A download as rows of cells by column name, after checking status, content type and BOM.</summary>
    internal static async Task<(List<string> Header, List<Dictionary<string, string>> Rows, byte[] Bytes)> CsvAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes.Take(3)); // BOM: Excel reads UTF-8, pandas with utf-8-sig
        using var reader = CsvReader.Create(bytes[3..], CsvReaderOptions.Default);
        reader.ReadHeader();
        var header = reader.Headers.ToList();
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(header.Select((h, i) => (h, v: reader.GetString(i))).ToDictionary(x => x.h, x => x.v));
        }
        return (header, rows, bytes);
    }

    [Fact]
    public async Task Companies_csv_has_both_scripts_and_leaves_unknown_totals_empty()
    {
        using var client = _app.App.CreateClient();
        var (header, rows, _) = await CsvAsync(client, "/export/companies.csv");
        Assert.Equal(["slug", "name_en", "name_zh", "pinyin"], header.Take(4));
        Assert.Contains("founded_precision", header);
        Assert.Equal(7, rows.Count);
        var moonshot = rows.Single(r => r["slug"] == "moonshot-ai");
        Assert.Equal("月之暗面", moonshot["name_zh"]);
        Assert.Equal("Kimi", moonshot["aliases"]);
        Assert.NotEqual("", moonshot["total_raised_usd"]);
        var deepseek = rows.Single(r => r["slug"] == "deepseek");
        Assert.Equal("", deepseek["total_raised_usd"]); // nothing disclosed: empty, never 0
        Assert.Equal("0", deepseek["rounds"]);
    }

    [Fact]
    public async Task Investors_csv_lists_every_investor_with_chinese_names()
    {
        using var client = _app.App.CreateClient();
        var (header, rows, _) = await CsvAsync(client, "/export/investors.csv");
        Assert.Equal(["slug", "name_en", "name_zh", "aliases", "kind", "country", "website", "parent", "rounds", "companies"], header);
        Assert.Equal(47, rows.Count);
        var hongshan = rows.Single(r => r["slug"] == "hongshan");
        Assert.Equal("红杉中国", hongshan["name_zh"]);
        Assert.Equal("HongShan Capital; Sequoia China", hongshan["aliases"]);
        Assert.Equal("alibaba", rows.Single(r => r["slug"] == "alibaba-cloud")["parent"]);
        // The figures /investors shows: Alibaba's include its unit Alibaba Cloud's round (01.AI).
        var alibaba = rows.Single(r => r["slug"] == "alibaba");
        Assert.Equal(("10", "5"), (alibaba["rounds"], alibaba["companies"]));
    }

    [Fact]
    public async Task Rounds_csv_has_the_import_columns_first_and_undisclosed_amounts_empty()
    {
        using var client = _app.App.CreateClient();
        var (header, rows, _) = await CsvAsync(client, "/export/rounds.csv");
        Assert.Equal(RoundCsvColumns.Imported, header.Take(RoundCsvColumns.Imported.Count));
        Assert.Equal(RoundCsvColumns.ReadOnlyExtras, header.Skip(RoundCsvColumns.Imported.Count));
        Assert.True(rows.Count >= 20, $"{rows.Count} rounds");

        var undisclosed = rows.Where(r => r["disclosure"] == "Undisclosed").ToList();
        Assert.NotEmpty(undisclosed);
        Assert.All(undisclosed, r =>
        {
            Assert.Equal("", r["amount"]);
            Assert.Equal("", r["amount_min"]);
            Assert.Equal("", r["usd"]);
        });
        Assert.DoesNotContain(rows, r => r["amount"] == "0" || r["usd"] == "0");

        var moonshotB = rows.First(r => r["company"] == "Moonshot AI" && r["announced"] == "2024-02");
        Assert.Equal("Month", moonshotB["announced_precision"]);
        Assert.Equal("SeriesB", moonshotB["stage"]);
        Assert.Equal("1000000000", moonshotB["amount_min"]); // no trailing ".00"
        Assert.Equal("Alibaba", moonshotB["lead_investors"]);
        Assert.Contains("HongShan", moonshotB["investors"], StringComparison.Ordinal);
        Assert.StartsWith("http", moonshotB["source_url"], StringComparison.Ordinal);
        Assert.Equal("moonshot-ai", moonshotB["company_slug"]);
        // The source's date is written at its precision, which has its own column (as the announcement's has).
        Assert.All(rows.Where(r => r["source_published"] != ""), r => Assert.Equal(
            r["source_published_precision"] switch { "Year" => 4, "Quarter" or "Month" => 7, "Day" => 10, var p => throw new Xunit.Sdk.XunitException($"precision '{p}'") },
            r["source_published"].Length));
    }

    [Fact]
    public async Task Rounds_csv_honours_the_rounds_page_filters()
    {
        using var client = _app.App.CreateClient();
        var (_, moonshot, _) = await CsvAsync(client, "/export/rounds.csv?company=%E6%9C%88%E4%B9%8B%E6%9A%97%E9%9D%A2"); // 月之暗面
        Assert.Equal(4, moonshot.Count);
        Assert.All(moonshot, r => Assert.Equal("Moonshot AI", r["company"]));

        var (_, seriesB, _) = await CsvAsync(client, "/export/rounds.csv?stage=SeriesB&stage=SeriesC&sort=company&dir=asc");
        Assert.NotEmpty(seriesB);
        Assert.All(seriesB, r => Assert.Contains(r["stage"], new[] { "SeriesB", "SeriesC" }));
        Assert.Equal(seriesB.Select(r => r["company"]).Order(StringComparer.Ordinal), seriesB.Select(r => r["company"]));

        var (_, undisclosed, _) = await CsvAsync(client, "/export/rounds.csv?disclosure=Undisclosed");
        Assert.NotEmpty(undisclosed);
        Assert.All(undisclosed, r => Assert.Equal("Undisclosed", r["disclosure"]));

        var (_, big, _) = await CsvAsync(client, "/export/rounds.csv?min=500");
        Assert.All(big, r => Assert.True(decimal.Parse(r["usd"], System.Globalization.CultureInfo.InvariantCulture) >= 500_000_000m));
    }

    [Fact]
    public async Task Dataset_json_parses_and_holds_companies_rounds_sources_and_citations()
    {
        using var client = _app.App.CreateClient();
        var response = await client.GetAsync("/export/dataset.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        var root = json.RootElement;
        var companies = root.GetProperty("companies").EnumerateArray().ToList();
        Assert.Equal(7, companies.Count);
        Assert.Contains(companies, c => c.GetProperty("nameZh").GetString() == "月之暗面");
        var kaiFu = root.GetProperty("people").EnumerateArray().Single(p => p.GetProperty("slug").GetString() == "kai-fu-lee");
        Assert.Equal(("李开复", "Li Kaifu"), (kaiFu.GetProperty("nameZh").GetString(), kaiFu.GetProperty("pinyin").GetString()));
        var rounds = root.GetProperty("rounds").EnumerateArray().ToList();
        Assert.NotEmpty(rounds);
        Assert.All(rounds.Where(r => r.GetProperty("disclosure").GetString() == "Undisclosed"),
            r => Assert.Equal(JsonValueKind.Null, r.GetProperty("amount").ValueKind));
        Assert.Contains(rounds, r => r.GetProperty("announcedPrecision").GetString() == "Month");
        Assert.NotEmpty(root.GetProperty("participations").EnumerateArray());
        Assert.NotEmpty(root.GetProperty("investors").EnumerateArray());
        var sources = root.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("id").GetInt32()).ToHashSet();
        var citations = root.GetProperty("citations").EnumerateArray().ToList();
        Assert.NotEmpty(sources);
        Assert.Contains(citations, c => c.GetProperty("recordType").GetString() == "FundingRound");
        Assert.All(citations, c => Assert.Contains(c.GetProperty("sourceId").GetInt32(), sources));
        Assert.NotEmpty(root.GetProperty("exchangeRates").EnumerateArray());
    }

    [Fact]
    public async Task The_rounds_page_links_its_filtered_csv_and_shows_the_import_to_editors_only()
    {
        using var anonymous = _app.App.CreateClient();
        var html = await anonymous.GetStringAsync("/rounds?company=moonshot&stage=SeriesB&stage=SeriesC&page=2");
        Assert.Contains("href=\"/export/rounds.csv?stage=SeriesB&amp;stage=SeriesC&amp;company=moonshot\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"import-rounds\"", html, StringComparison.Ordinal);

        using var editor = AiLandscape.Tests.Features.Accounts.AccountHttp.Client(_app.App);
        await AiLandscape.Tests.Features.Accounts.AccountHttp.LoginOrFailAsync(editor, EditingApp.Editor);
        Assert.Contains("data-testid=\"import-rounds\"", await editor.GetStringAsync("/rounds"), StringComparison.Ordinal);
    }
}
