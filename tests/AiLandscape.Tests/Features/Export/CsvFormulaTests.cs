using AiLandscape.Tests.Features.Editing;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Export;

/// <summary>
/// Editor-controlled text that a spreadsheet would run as a formula (a company name, an investor name, a round's
/// label) comes out of every CSV as text: the cell starts with an apostrophe (issue 14).
/// </summary>
public class CsvFormulaTests : IAsyncLifetime
{
    private const string CompanyName = "=HYPERLINK(\"http://evil.example\",\"x\")";
    private const string InvestorName = "@SUM(1+1)*cmd|' /C calc'!A0";
    private const string Label = "+1+1";
    private static readonly string[] Formulas = [CompanyName, InvestorName, Label];

    private EditingApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await EditingApp.StartAsync("csv_formula");
        await using var db = _app.OwnerDb();
        await db.Companies.Where(c => c.Slug == "moonshot-ai").ExecuteUpdateAsync(u => u.SetProperty(c => c.NameEn, CompanyName));
        await db.Investors.Where(i => i.Slug == "tencent").ExecuteUpdateAsync(u => u.SetProperty(i => i.NameEn, InvestorName));
        await db.FundingRounds.Where(r => r.Company.Slug == "moonshot-ai").ExecuteUpdateAsync(u => u.SetProperty(r => r.LabelAsAnnounced, Label));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/export/companies.csv", CompanyName)]
    [InlineData("/export/rounds.csv", Label)]
    [InlineData("/export/investors.csv", InvestorName)]
    [InlineData("/export/models.csv", CompanyName)]
    [InlineData("/export/valuations.csv", CompanyName)]
    [InlineData("/compare.csv?c=moonshot-ai,deepseek", CompanyName)]
    public async Task A_formula_in_editor_text_is_written_as_text_in_every_csv(string path, string expected)
    {
        using var client = _app.App.CreateClient();
        var (_, rows, _) = await ExportTests.CsvAsync(client, path);
        var cells = rows.SelectMany(r => r.Values).ToList();

        Assert.All(cells, cell => Assert.DoesNotContain(Formulas, f => cell.StartsWith(f, StringComparison.Ordinal)));
        Assert.Contains(cells, cell => cell == "'" + expected);
    }
}
