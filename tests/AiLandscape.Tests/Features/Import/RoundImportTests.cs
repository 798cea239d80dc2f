using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Import;
using CsvHelper;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Import;

/// <summary>Editors import rounds from CSV: a preview with a status per row, then one audited commit of the new rows.</summary>
public class RoundImportTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("round_import");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A CSV file with the import's header and the given cells (by column; the rest empty).</summary>
    internal static MemoryStream Csv(params Dictionary<string, string>[] rows)
    {
        var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, CsvWriterOptions.Default, leaveOpen: true))
        {
            csv.WriteHeader([.. RoundCsvColumns.Imported]);
            foreach (var row in rows)
            {
                foreach (var column in RoundCsvColumns.Imported)
                {
                    csv.WriteField(row.GetValueOrDefault(column, ""));
                }
                csv.EndRecord();
            }
        }
        stream.Position = 0;
        return stream;
    }

    internal static Dictionary<string, string> DeepSeekRound(string announced = "2025-05", string amount = "300000000") => new()
    {
        ["company"] = "深度求索", // by its Chinese name
        ["announced"] = announced,
        ["label"] = "A轮",
        ["stage"] = "SeriesA",
        ["currency"] = "USD",
        ["amount"] = amount,
        ["lead_investors"] = "tencent", // case-insensitive
        ["investors"] = "Sequoia China", // an alias of HongShan
        ["source_url"] = "https://example.com/deepseek-a-" + announced,
        ["source_title"] = "DeepSeek raises its first outside round",
        ["source_publisher"] = "Example News",
        ["source_published"] = announced,
    };

    private async Task<int> RoundCountAsync()
    {
        await using var db = _app.Db();
        return await db.FundingRounds.CountAsync();
    }

    [Fact]
    public async Task Export_then_import_of_the_same_rounds_csv_finds_every_row_a_duplicate_and_writes_nothing()
    {
        using var client = _app.App.CreateClient();
        var exported = await client.GetByteArrayAsync("/export/rounds.csv");
        var before = await EditAssert.CountsAsync(_app);
        var rounds = await RoundCountAsync();

        var import = await _app.ServiceAsAsync<RoundImportService>(EditingApp.Editor);
        var preview = await import.PreviewAsync(new MemoryStream(exported), "rounds.csv");

        Assert.Empty(preview.FileErrors);
        Assert.Empty(preview.IgnoredColumns);
        Assert.Equal(rounds, preview.Rows.Count);
        Assert.All(preview.Rows, r => Assert.True(r.Status == ImportRowStatus.Duplicate,
            $"line {r.Line} ({r.Cell("company")} {r.Summary}) is {r.Status}: {string.Join("; ", r.Errors)}"));
        // Each names the stored round it repeats: its own id, as the export's id column says.
        Assert.All(preview.Rows.Where(r => r.DuplicateRoundId is not null), r => Assert.StartsWith($"#{r.DuplicateRoundId} ", r.DuplicateOf));
        Assert.False(preview.CanCommit);

        var commit = await import.CommitAsync(preview);
        Assert.False(commit.Succeeded);
        Assert.Equal(before, await EditAssert.CountsAsync(_app));
        Assert.Equal(rounds, await RoundCountAsync());
    }

    [Fact]
    public async Task Good_and_bad_rows_each_get_a_status_naming_column_and_rule_and_only_the_good_ones_are_committed_with_audit()
    {
        var good1 = DeepSeekRound("2025-05", "300000000");
        var good2 = DeepSeekRound("2025-11", "1000000000");
        good2["stage"] = "Series B"; // the form's label works too
        good2["label"] = "B轮";
        var notANumber = DeepSeekRound("2025-06", "3亿美元");
        var undisclosedWithAmount = DeepSeekRound("2025-07", "0");
        undisclosedWithAmount["disclosure"] = "Undisclosed";
        var noSource = DeepSeekRound("2025-08");
        noSource["source_url"] = "";
        noSource["source_title"] = "";
        var future = DeepSeekRound("2099-01");
        var badCurrency = DeepSeekRound("2025-09");
        badCurrency["currency"] = "EUR";
        var unknownCompany = DeepSeekRound("2025-10");
        unknownCompany["company"] = "Nonexistent AI";
        var repeated = DeepSeekRound("2025-05", "300000000");
        var existing = new Dictionary<string, string>
        {
            ["company"] = "Kimi", ["announced"] = "2024-02", ["stage"] = "SeriesB", ["currency"] = "USD",
            ["amount_min"] = "1000000000", ["source_url"] = "https://example.com/x", ["source_title"] = "x",
        };

        var import = await _app.ServiceAsAsync<RoundImportService>(EditingApp.Editor);
        var before = await EditAssert.CountsAsync(_app);
        var preview = await import.PreviewAsync(
            Csv(good1, notANumber, undisclosedWithAmount, noSource, future, badCurrency, unknownCompany, repeated, existing, good2), "mixed.csv");
        Assert.Equal(before, await EditAssert.CountsAsync(_app)); // a preview writes nothing

        var rows = preview.Rows;
        Assert.Equal(10, rows.Count);
        Assert.Equal(2, rows[0].Line);
        void ErrorAbout(ImportRow row, string column, string words)
        {
            Assert.Equal(ImportRowStatus.Error, row.Status);
            var error = row.Errors.FirstOrDefault(e => e.Column == column);
            Assert.True(error is not null, $"line {row.Line}: no error about {column}: {string.Join("; ", row.Errors)}");
            Assert.Contains(words, error.Message, StringComparison.Ordinal);
        }
        Assert.Equal(ImportRowStatus.New, rows[0].Status);
        Assert.Equal("DeepSeek", rows[0].Company!.Resolved!.NameEn);
        ErrorAbout(rows[1], "amount", "must be a number");
        ErrorAbout(rows[2], "amount", "Amount must be empty when the size is undisclosed.");
        ErrorAbout(rows[3], "source_url", "add at least one source");
        ErrorAbout(rows[4], "announced", "Announced must not be in the future.");
        ErrorAbout(rows[5], "currency", "Currency must be a supported ISO 4217 code");
        ErrorAbout(rows[6], "company", "no company is called “Nonexistent AI”");
        Assert.Equal(ImportRowStatus.Duplicate, rows[7].Status);
        Assert.Equal("line 2 of this file", rows[7].DuplicateOf);
        Assert.Equal(ImportRowStatus.Duplicate, rows[8].Status);
        Assert.Contains("Moonshot AI Series B, 2024-02", rows[8].DuplicateOf, StringComparison.Ordinal);
        Assert.Equal(ImportRowStatus.New, rows[9].Status);
        Assert.True(preview.CanCommit);

        var result = await import.CommitAsync(preview);
        Assert.True(result.Succeeded, string.Join(" ", result.Save.Errors));
        Assert.Equal(2, result.RoundIds.Count);
        Assert.Equal(["deepseek"], result.CompanySlugs);

        await using var db = _app.Db();
        var rounds = await db.FundingRounds.Include(r => r.Participations).ThenInclude(p => p.Investor)
            .Where(r => result.RoundIds.Contains(r.Id)).OrderBy(r => r.AnnouncedOn).ToListAsync();
        Assert.Equal([300_000_000m, 1_000_000_000m], rounds.Select(r => r.Amount));
        Assert.Equal(["A轮", "B轮"], rounds.Select(r => r.LabelAsAnnounced));
        Assert.All(rounds, r => Assert.Equal(DatePrecision.Month, r.AnnouncedPrecision));
        Assert.All(rounds, r => Assert.Equal(["hongshan", "tencent"], r.Participations.Select(p => p.Investor.Slug).Order()));
        Assert.All(rounds, r => Assert.True(r.Participations.Single(p => p.Investor.Slug == "tencent").IsLead));
        var citations = await db.Citations.Include(c => c.Source)
            .Where(c => c.RecordType == RecordType.FundingRound && result.RoundIds.Contains(c.RecordId!.Value)).ToListAsync();
        Assert.Equal(2, citations.Count);
        Assert.Contains(citations, c => c.Source.Url == "https://example.com/deepseek-a-2025-05" && c.Source.Publisher == "Example News");

        var deepseek = await db.Companies.SingleAsync(c => c.Slug == "deepseek");
        Assert.Equal(1_300_000_000m, deepseek.Figures.TotalRaisedUsd);
        Assert.Equal(2, deepseek.Figures.RoundCount);

        // One change: rounds, participations, sources and citations, all by the editor, revertable together.
        var entries = await db.AuditEntries.Where(a => a.Summary == "Imported 2 funding rounds from mixed.csv").ToListAsync();
        Assert.Single(entries.Select(e => e.ChangeSetId).Distinct());
        Assert.All(entries, e => Assert.Equal("Demo Editor", e.UserName));
        Assert.All(entries, e => Assert.Equal(AuditAction.Create, e.Action));
        Assert.Equal(2, entries.Count(e => e.RecordType == RecordType.FundingRound));
        Assert.Equal(4, entries.Count(e => e.RecordType == RecordType.Participation));
        Assert.Equal(2, entries.Count(e => e.RecordType == RecordType.Source));
        Assert.Equal(2, entries.Count(e => e.RecordType == RecordType.Citation));
        Assert.All(entries, e => Assert.Equal(deepseek.Id, e.CompanyId));
    }

    [Fact]
    public async Task An_unknown_investor_can_be_created_once_and_an_ambiguous_one_is_chosen()
    {
        await using (var db = _app.Db())
        {
            // A second investor that also answers to "Tencent": the name alone no longer says which.
            db.Investors.Add(new Investor { Slug = "tencent-music", NameEn = "Tencent Music", Aliases = ["Tencent"], Kind = InvestorKind.CorporateStrategic });
            await db.SaveChangesAsync();
        }
        var first = DeepSeekRound("2025-05");
        first["investors"] = "Hangzhou AI Fund";
        var second = DeepSeekRound("2025-11", "500000000");
        second["lead_investors"] = "Hangzhou AI Fund";
        second["investors"] = "";

        var import = await _app.ServiceAsAsync<RoundImportService>(EditingApp.Editor);
        var preview = await import.PreviewAsync(Csv(first, second), "choices.csv");
        Assert.All(preview.Rows, r => Assert.Equal(ImportRowStatus.NeedsChoice, r.Status));
        var tencent = preview.Rows[0].Investors.Single(i => i.Name == "tencent");
        Assert.True(tencent.IsAmbiguous);
        Assert.Equal(["Tencent", "Tencent Music"], tencent.Candidates.Select(c => c.NameEn));
        var unknown = preview.Rows[0].Investors.Single(i => i.Name == "Hangzhou AI Fund");
        Assert.True(unknown.IsUnknown);
        Assert.False(preview.CanCommit);

        tencent.ChosenId = tencent.Candidates.Single(c => c.Slug == "tencent").Id;
        unknown.CreateNew = true;
        await import.RecheckAsync(preview);
        Assert.Equal(ImportRowStatus.New, preview.Rows[0].Status);
        Assert.Equal(ImportRowStatus.NeedsChoice, preview.Rows[1].Status); // its own mention of the fund is still open

        foreach (var name in preview.Rows[1].Investors)
        {
            if (name.IsAmbiguous)
            {
                name.ChosenId = name.Candidates.Single(c => c.Slug == "tencent").Id;
            }
            name.CreateNew = name.IsUnknown;
        }
        await import.RecheckAsync(preview);
        Assert.All(preview.Rows, r => Assert.Equal(ImportRowStatus.New, r.Status));

        var result = await import.CommitAsync(preview);
        Assert.True(result.Succeeded, string.Join(" ", result.Save.Errors));
        await using var check = _app.Db();
        var fund = await check.Investors.Include(i => i.Participations).SingleAsync(i => i.NameEn == "Hangzhou AI Fund");
        Assert.Equal("hangzhou-ai-fund", fund.Slug);
        Assert.Equal(2, fund.Participations.Count); // created once, in both rounds
        Assert.Equal(1, await check.Participations.CountAsync(p => p.Investor.Slug == "tencent" && result.RoundIds.Contains(p.FundingRoundId)));
        Assert.True(fund.Participations.Single(p => p.FundingRoundId == result.RoundIds[1]).IsLead);
        Assert.Single(await check.AuditEntries.Where(a => a.RecordType == RecordType.Investor && a.RecordId == fund.Id).ToListAsync());
    }

    [Fact]
    public async Task Anonymous_visitors_and_analysts_are_refused_and_the_page_is_for_editors()
    {
        foreach (var user in new string?[] { null, EditingApp.Analyst })
        {
            var import = await _app.ServiceAsAsync<RoundImportService>(user);
            await Assert.ThrowsAsync<ForbiddenException>(() => import.PreviewAsync(Csv(DeepSeekRound()), "x.csv"));
        }
        var editor = await _app.ServiceAsAsync<RoundImportService>(EditingApp.Editor);
        var preview = await editor.PreviewAsync(Csv(DeepSeekRound()), "x.csv");
        var analyst = await _app.ServiceAsAsync<RoundImportService>(EditingApp.Analyst);
        await Assert.ThrowsAsync<ForbiddenException>(() => analyst.CommitAsync(preview));
        await Assert.ThrowsAsync<ForbiddenException>(() => analyst.RecheckAsync(preview));
        Assert.Equal(0, (await _app.Db().Companies.SingleAsync(c => c.Slug == "deepseek")).Figures.RoundCount);

        await EditAssert.PageIsForEditorsOnlyAsync(_app, "/import/rounds");
    }

    [Fact]
    public async Task Cancel_or_a_refused_commit_writes_nothing()
    {
        var import = await _app.ServiceAsAsync<RoundImportService>(EditingApp.Editor);
        var before = await EditAssert.CountsAsync(_app);
        var rounds = await RoundCountAsync();

        // Cancel: the preview is dropped; nothing was written by reading the file.
        var cancelled = await import.PreviewAsync(Csv(DeepSeekRound("2025-05"), DeepSeekRound("2025-06")), "cancel.csv");
        Assert.Equal(2, cancelled.Count(ImportRowStatus.New));
        Assert.Equal(before, await EditAssert.CountsAsync(_app));

        // The editor loses the role between preview and commit: the commit is refused as a whole.
        var preview = await import.PreviewAsync(Csv(DeepSeekRound("2025-05"), DeepSeekRound("2025-06")), "refused.csv");
        await using (var scope = _app.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var editor = await users.FindByEmailAsync(EditingApp.Editor);
            Assert.True((await users.RemoveFromRoleAsync(editor!, Roles.Editor)).Succeeded);
        }
        await Assert.ThrowsAsync<ForbiddenException>(() => import.CommitAsync(preview));
        Assert.Equal(before, await EditAssert.CountsAsync(_app));
        Assert.Equal(rounds, await RoundCountAsync());
    }

    [Fact]
    public async Task A_file_without_the_required_columns_is_refused_as_a_whole()
    {
        var import = await _app.ServiceAsAsync<RoundImportService>(EditingApp.Editor);
        var preview = await import.PreviewAsync(new MemoryStream("company,amount\nDeepSeek,5\n"u8.ToArray()), "short.csv");
        var error = Assert.Single(preview.FileErrors);
        // No "stage": a file may leave stages to the label table (rows whose labels it does not know are errors).
        Assert.Contains("lacks the columns currency, source_url, source_title", error.Message, StringComparison.Ordinal);
        Assert.Empty(preview.Rows);
        Assert.False(preview.CanCommit);
    }

    [Fact]
    public async Task The_documented_example_file_is_valid_against_the_seed_and_imports()
    {
        var import = await _app.ServiceAsAsync<RoundImportService>(EditingApp.Editor);
        var path = Path.Combine(RepoPaths.Root, "docs", "import", "rounds-example.csv");
        await using var file = File.OpenRead(path);
        var preview = await import.PreviewAsync(file, "rounds-example.csv");
        Assert.Empty(preview.FileErrors);
        Assert.Equal(4, preview.Rows.Count);
        Assert.All(preview.Rows, r => Assert.True(r.Status == ImportRowStatus.New,
            $"line {r.Line} is {r.Status}: {string.Join("; ", r.Errors)} {r.DuplicateOf}"));
        Assert.Equal(["阿里巴巴", "小米"], preview.Rows[0].Investors.Where(i => !i.IsLead).Select(i => i.Resolved!.NameZh));

        var result = await import.CommitAsync(preview);
        Assert.True(result.Succeeded, string.Join(" ", result.Save.Errors));
        Assert.Equal(4, result.RoundIds.Count);
        await using var db = _app.Db();
        var undisclosed = await db.FundingRounds.SingleAsync(r => r.Id == result.RoundIds[2]);
        Assert.Equal(Disclosure.Undisclosed, undisclosed.Disclosure);
        Assert.Null(undisclosed.Amount); // never 0
        var strategic = await db.FundingRounds.SingleAsync(r => r.Id == result.RoundIds[1]);
        Assert.Equal(DatePrecision.Quarter, strategic.AnnouncedPrecision);
        Assert.Equal(RoundStage.Strategic, strategic.Stage); // its stage cell is empty: 战略投资 from the label table
    }

    [Fact]
    public async Task A_row_with_an_empty_stage_takes_the_stage_its_label_maps_to()
    {
        var row = DeepSeekRound();
        row["stage"] = "";
        row["label"] = "Ｂ+轮"; // full-width, as typeset in Chinese announcements
        var import = await _app.ServiceAsAsync<RoundImportService>(EditingApp.Editor);

        var preview = await import.PreviewAsync(Csv(row), "labels.csv");

        var only = Assert.Single(preview.Rows);
        Assert.True(only.Status == ImportRowStatus.New, string.Join("; ", only.Errors));
        Assert.Equal(RoundStage.SeriesB, only.Request!.Stage);
        var result = await import.CommitAsync(preview);
        Assert.True(result.Succeeded, string.Join(" ", result.Save.Errors));
        await using var db = _app.Db();
        Assert.Equal(RoundStage.SeriesB, await db.FundingRounds.Where(r => r.Id == result.RoundIds[0]).Select(r => r.Stage).SingleAsync());
    }

    [Theory]
    [InlineData("Series Z", "stage: is empty and the label “Series Z” is not in the round label table")]
    [InlineData("", "stage: is required when the label is empty")]
    public async Task A_row_with_no_stage_and_a_label_the_table_does_not_know_is_an_error_naming_the_stage_column(string label, string message)
    {
        var row = DeepSeekRound();
        row["stage"] = "";
        row["label"] = label;
        var import = await _app.ServiceAsAsync<RoundImportService>(EditingApp.Editor);

        var preview = await import.PreviewAsync(Csv(row), "labels.csv");

        var only = Assert.Single(preview.Rows);
        Assert.Equal(ImportRowStatus.Error, only.Status);
        var error = Assert.Single(only.Errors, e => e.Column == "stage");
        Assert.StartsWith(message, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("SeriesA", error.Message, StringComparison.Ordinal); // it lists the stages to choose from
    }
}
