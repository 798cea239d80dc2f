using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Export;

/// <summary>/export/models.csv: the /models view as CSV, with the page's filters and order.</summary>
public class ModelExportTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("model_export");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Models_csv_has_every_release_with_dated_precision_and_leaves_unknowns_empty()
    {
        using var client = _app.App.CreateClient();
        var (header, rows, _) = await ExportTests.CsvAsync(client, "/export/models.csv");
        Assert.Equal(["model", "company_slug", "company_name_en", "company_name_zh", "released_on", "released_precision",
            "open_weights", "licence", "parameters", "modality", "model_id"], header);
        Assert.Equal(24, rows.Count);
        Assert.Equal("GLM-5", rows[0]["model"]); // the page's order: newest first

        var r1 = rows.Single(r => r["model"] == "DeepSeek-R1");
        Assert.Equal(("深度求索", "2025-01-20", "Day", "true", "MIT"),
            (r1["company_name_zh"], r1["released_on"], r1["released_precision"], r1["open_weights"], r1["licence"]));
        var k2 = rows.Single(r => r["model"] == "Kimi K2");
        Assert.Equal(("2025-07", "Month", "1T MoE"), (k2["released_on"], k2["released_precision"], k2["parameters"]));
        var m2 = rows.Single(r => r["model"] == "MiniMax-M2");
        Assert.Equal(("", ""), (m2["open_weights"], m2["licence"])); // no source says: empty, never "false"
        Assert.Equal("false", rows.Single(r => r["model"] == "Kimi chatbot")["open_weights"]);
    }

    [Fact]
    public async Task Models_csv_takes_the_pages_filters_and_sort()
    {
        using var client = _app.App.CreateClient();
        var (_, rows, _) = await ExportTests.CsvAsync(client, "/export/models.csv?year=2025&open=yes&licence=MIT&sort=name&page=3");
        Assert.Equal(["DeepSeek-R1", "DeepSeek-V3-0324", "GLM-4.5", "Step-Video-T2V"], rows.Select(r => r["model"]));

        (_, rows, _) = await ExportTests.CsvAsync(client, "/export/models.csv?company=01-ai&year=2025");
        Assert.Empty(rows);
    }

    [Fact]
    public async Task A_name_that_looks_like_a_formula_is_written_as_text()
    {
        await using (var db = _app.Db())
        {
            var deepseek = await db.Companies.SingleAsync(c => c.Slug == "deepseek");
            db.ModelReleases.Add(new ModelRelease { CompanyId = deepseek.Id, Name = "=HYPERLINK(\"http://x\")", Licence = "+1",
                Precision = DatePrecision.Day });
            await db.SaveChangesAsync();
        }
        using var client = _app.App.CreateClient();
        var (_, rows, _) = await ExportTests.CsvAsync(client, "/export/models.csv?company=deepseek");
        var odd = rows.Single(r => r["model"].Contains("HYPERLINK", StringComparison.Ordinal));
        Assert.StartsWith("'=", odd["model"]);
        Assert.Equal("'+1", odd["licence"]);
    }
}
