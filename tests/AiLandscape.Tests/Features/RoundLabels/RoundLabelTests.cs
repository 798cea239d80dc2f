using AiLandscape.Tests.Features.Editing;
using AiLandscape.Tests.Features.Sources;
using AiLandscape.Web.Data;
using AiLandscape.Web.Data.Seed;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.RoundLabels;
using AiLandscape.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.RoundLabels;

/// <summary>The round label table: folding, look-ups, the seeded defaults and editors' audited changes.</summary>
public class RoundLabelTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("round_labels");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("天使轮", "天使轮")]
    [InlineData("Ａ轮", "a轮")] // full-width letter, as Chinese typesetting writes it
    [InlineData("Ｂ＋轮", "b+轮")]
    [InlineData("  Series B ", "seriesb")]
    [InlineData("Series\u3000B", "seriesb")] // ideographic space
    [InlineData("Pre-IPO", "pre-ipo")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Normalize_folds_width_case_and_spaces(string? label, string expected) =>
        Assert.Equal(expected, Web.Features.RoundLabels.RoundLabels.Normalize(label));

    [Theory]
    [InlineData("天使轮", RoundStage.Angel)]
    [InlineData("Ａ轮", RoundStage.SeriesA)]
    [InlineData("A+轮", RoundStage.SeriesA)]
    [InlineData("Series B", RoundStage.SeriesB)]
    [InlineData("series  b", RoundStage.SeriesB)]
    [InlineData("strategic", RoundStage.Strategic)]
    [InlineData("战略投资", RoundStage.Strategic)]
    [InlineData("Pre-A轮", RoundStage.Angel)]
    [InlineData("E轮", RoundStage.LaterStage)]
    [InlineData("Pre-IPO", RoundStage.PreIpo)]
    [InlineData("上市", RoundStage.Ipo)]
    public async Task The_seeded_table_maps_chinese_english_and_full_width_labels(string label, RoundStage stage)
    {
        var service = await _app.ServiceAsAsync<RoundLabelService>(EditingApp.Analyst);
        Assert.Equal(stage, await service.StageForAsync(label));
    }

    [Fact]
    public async Task An_unknown_label_maps_to_nothing()
    {
        var service = await _app.ServiceAsAsync<RoundLabelService>(EditingApp.Analyst);
        Assert.Null(await service.StageForAsync("Series Z"));
        Assert.Null(await service.MatchAsync(""));
    }

    /// <summary>
    /// Labels in the seed that describe rather than name a round: "expansion" (Moonshot's extension of its Series C:
    /// the stage depends on the round extended) and "several rounds (2023 total)". The table leaves them out on purpose.
    /// </summary>
    private static readonly string[] DescriptiveSeedLabels = ["expansion", "several rounds (2023 total)"];

    [Fact]
    public async Task Every_seeded_rounds_label_maps_to_its_seeded_stage()
    {
        var rounds = SeedDataset.LoadEmbedded().Companies.SelectMany(c => (c.Rounds ?? []).Select(r => (Company: c.Slug, r.Label, r.Stage)))
            .Where(r => r.Label is not null).ToList();
        Assert.NotEmpty(rounds);
        await using var db = _app.Db();
        var stages = await RoundLabelService.StagesForAsync(db, rounds.Select(r => r.Label));
        foreach (var r in rounds)
        {
            var key = Web.Features.RoundLabels.RoundLabels.Normalize(r.Label);
            if (DescriptiveSeedLabels.Contains(r.Label))
            {
                Assert.False(stages.ContainsKey(key), $"“{r.Label}” is not a label and should not be in the table");
                continue;
            }
            Assert.True(stages.TryGetValue(key, out var stage), $"{r.Company}'s “{r.Label}” is not in the label table");
            Assert.True(r.Stage == stage, $"{r.Company}'s “{r.Label}” is seeded as {r.Stage} but the table says {stage}");
        }
    }

    [Fact]
    public async Task The_list_is_paged_and_searchable_by_label_or_stage()
    {
        var service = await _app.ServiceAsAsync<RoundLabelService>(EditingApp.Analyst);
        var all = await service.ListAsync(new RoundLabelQuery(PageSize: 10));
        Assert.Equal(10, all.Items.Count);
        Assert.True(all.TotalCount > 40, $"only {all.TotalCount} labels seeded");
        // Stage order, not alphabetical: Angel rows come before Series A rows.
        var first = await service.ListAsync(new RoundLabelQuery(PageSize: 500));
        Assert.True(first.Items.ToList().FindLastIndex(r => r.Stage == RoundStage.Angel) < first.Items.ToList().FindIndex(r => r.Stage == RoundStage.SeriesA));

        var angel = await service.ListAsync(new RoundLabelQuery("天使"));
        Assert.Contains(angel.Items, r => r.Label == "天使轮");
        Assert.All(angel.Items, r => Assert.Contains("天使", r.Label, StringComparison.Ordinal));

        var seriesB = await service.ListAsync(new RoundLabelQuery("series b"));
        Assert.Contains(seriesB.Items, r => r.Label == "B轮"); // by its stage
        Assert.All(seriesB.Items, r => Assert.Equal(RoundStage.SeriesB, r.Stage));
    }

    [Fact]
    public async Task An_editor_adds_changes_and_deletes_a_label_and_each_change_is_audited()
    {
        var service = await _app.ServiceAsAsync<RoundLabelService>(EditingApp.Editor);
        var created = await service.SaveAsync(new RoundLabelRequest { Label = " Ｈ轮 ", Stage = RoundStage.SeriesD, Notes = "typo on purpose" });
        Assert.True(created.Succeeded, string.Join(" ", created.Errors));
        var id = created.Id!.Value;
        Assert.Equal(RoundStage.SeriesD, await service.StageForAsync("H轮"));
        var create = await _app.LastEntryAsync(RecordType.RoundLabelMapping, id);
        Assert.Equal(AuditAction.Create, create.Action);
        Assert.Equal("Ｈ轮", create.Change("Label").New!.Value.GetString());
        Assert.Equal("h轮", create.Change("NormalizedLabel").New!.Value.GetString());
        Assert.Equal("Demo Editor", create.UserName);

        var form = (await service.EditAsync(id))!;
        form.Stage = RoundStage.LaterStage;
        form.Notes = null;
        Assert.True((await service.SaveAsync(form)).Succeeded);
        var update = await _app.LastEntryAsync(RecordType.RoundLabelMapping, id);
        Assert.Equal(AuditAction.Update, update.Action);
        Assert.Equal(("SeriesD", "LaterStage"), (update.Change("Stage").Old!.Value.GetString(), update.Change("Stage").New!.Value.GetString()));
        Assert.Equal(RoundStage.LaterStage, await service.StageForAsync("h轮"));

        // The form that saved first is stale now: a conflict, not a silent overwrite.
        var stale = await service.SaveAsync(form);
        Assert.Equal(SaveStatus.Conflict, stale.Status);

        var again = (await service.EditAsync(id))!;
        Assert.True((await service.DeleteAsync(id, again.Version)).Succeeded);
        Assert.Equal(AuditAction.Delete, (await _app.LastEntryAsync(RecordType.RoundLabelMapping, id)).Action);
        Assert.Null(await service.StageForAsync("H轮"));
    }

    [Theory]
    [InlineData(EditingApp.Analyst)]
    [InlineData(null)]
    public async Task Only_editors_may_change_the_table(string? user)
    {
        var service = await _app.ServiceAsAsync<RoundLabelService>(user);
        var before = await _app.AuditCountAsync();
        await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(new RoundLabelRequest { Label = "X轮", Stage = RoundStage.SeriesA }));
        await using (var db = _app.Db())
        {
            var any = await db.RoundLabelMappings.FirstAsync();
            await Assert.ThrowsAsync<ForbiddenException>(() => service.DeleteAsync(any.Id, any.Version));
            Assert.False(await db.RoundLabelMappings.AnyAsync(x => x.NormalizedLabel == "x轮"));
            Assert.True(await db.RoundLabelMappings.AnyAsync(x => x.Id == any.Id));
        }
        Assert.Equal(before, await _app.AuditCountAsync());
    }

    [Fact]
    public async Task An_admin_may_change_the_table()
    {
        var service = await _app.ServiceAsAsync<RoundLabelService>(EditingApp.Admin);
        Assert.True((await service.SaveAsync(new RoundLabelRequest { Label = "Series H", Stage = RoundStage.LaterStage })).Succeeded);
    }

    public static TheoryData<string, string, string> Rules => new()
    {
        { "no label", nameof(RoundLabelRequest.Label), "Label is required." },
        { "long label", nameof(RoundLabelRequest.Label), "Label must be at most 100 characters." },
        { "no stage", nameof(RoundLabelRequest.Stage), "Stage is required." },
        { "long notes", nameof(RoundLabelRequest.Notes), "Notes must be at most 500 characters." },
        { "taken, full-width", nameof(RoundLabelRequest.Label), "is already in the table as “A轮” (Series A)" },
        { "taken, other case", nameof(RoundLabelRequest.Label), "is already in the table as “Series B” (Series B)" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Each_rule_refuses_with_a_message_naming_the_field_and_nothing_is_written(string rule, string field, string message)
    {
        var service = await _app.ServiceAsAsync<RoundLabelService>(EditingApp.Editor);
        var r = new RoundLabelRequest { Label = "Y轮", Stage = RoundStage.SeriesA };
        switch (rule)
        {
            case "no label": r.Label = "  "; break;
            case "long label": r.Label = new string('x', 101); break;
            case "no stage": r.Stage = null; break;
            case "long notes": r.Notes = new string('n', 501); break;
            case "taken, full-width": r.Label = "Ａ轮"; break;
            case "taken, other case": r.Label = "SERIES  B"; break;
        }
        var before = await _app.AuditCountAsync();
        await using var db = _app.Db();
        var rows = await db.RoundLabelMappings.CountAsync();

        var result = await service.SaveAsync(r);

        EditAssert.InvalidAbout(result, field, message);
        Assert.Equal(rows, await db.RoundLabelMappings.CountAsync());
        Assert.Equal(before, await _app.AuditCountAsync());
    }

    [Fact]
    public async Task A_round_saved_with_a_known_label_and_no_stage_takes_the_tables_stage_and_an_unknown_label_is_refused()
    {
        var rounds = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var form = (await rounds.NewAsync("deepseek"))!;
        Assert.Null(form.Request.Stage); // a new form has no stage until the label or the editor gives one
        var r = form.Request;
        r.AnnouncedOn = "2026-01";
        r.LabelAsAnnounced = "Ｂ+轮";
        r.Disclosure = Disclosure.Undisclosed;
        r.Sources = [new SourceInput { Url = "https://example.com/deepseek-b-plus", Title = "DeepSeek B+", Publisher = "Example News" }];

        var saved = await rounds.SaveAsync(r);

        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
        await using (var db = _app.Db())
        {
            Assert.Equal(RoundStage.SeriesB, await db.FundingRounds.Where(x => x.Id == saved.Id).Select(x => x.Stage).SingleAsync());
        }

        var unknown = (await rounds.NewAsync("deepseek"))!.Request;
        unknown.LabelAsAnnounced = "Series Z";
        unknown.Disclosure = Disclosure.Undisclosed;
        unknown.Sources = [new SourceInput { Url = "https://example.com/deepseek-z", Title = "DeepSeek Z" }];
        EditAssert.InvalidAbout(await rounds.SaveAsync(unknown), nameof(RoundRequest.Stage), "does not know “Series Z”");

        // A stage the editor chose wins over the table.
        var chosen = (await rounds.NewAsync("deepseek"))!.Request;
        chosen.LabelAsAnnounced = "B轮";
        chosen.Stage = RoundStage.Strategic;
        chosen.Disclosure = Disclosure.Undisclosed;
        chosen.Sources = [new SourceInput { Url = "https://example.com/deepseek-s", Title = "DeepSeek S" }];
        var kept = await rounds.SaveAsync(chosen);
        Assert.True(kept.Succeeded, string.Join(" ", kept.Errors));
        await using var check = _app.Db();
        Assert.Equal(RoundStage.Strategic, await check.FundingRounds.Where(x => x.Id == kept.Id).Select(x => x.Stage).SingleAsync());
    }

    [Fact]
    public async Task A_database_seeded_before_the_table_existed_receives_the_default_labels_once_and_keeps_editors_labels()
    {
        await using (var db = _app.OwnerDb()) // seed history is the owner's to write
        {
            await db.SeedHistory.Where(h => h.Dataset == SeedLoader.RoundLabelsDatasetName).ExecuteDeleteAsync();
            await db.RoundLabelMappings.ExecuteDeleteAsync();
            // An editor's own label, spelled differently from the default "B轮", with another stage.
            db.RoundLabelMappings.Add(new RoundLabelMapping { Label = "Ｂ轮", NormalizedLabel = "b轮", Stage = RoundStage.Strategic });
            await db.SaveChangesAsync();
        }
        var factory = TestPostgres.ContextFactory(_app.App.OwnerConnectionString); // seeding runs as the owner
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        await new SeedLoader(factory, logger).ApplyAsync();
        await new SeedLoader(factory, logger).ApplyAsync();

        await using var check = _app.Db();
        var expected = SeedDataset.LoadRoundLabels().Count;
        Assert.Equal(expected, await check.RoundLabelMappings.CountAsync()); // the default B轮 is not added beside Ｂ轮
        Assert.Equal(RoundStage.Strategic, await check.RoundLabelMappings.Where(x => x.NormalizedLabel == "b轮").Select(x => x.Stage).SingleAsync());
        Assert.Equal(1, await check.SeedHistory.CountAsync(h => h.Dataset == SeedLoader.RoundLabelsDatasetName));
        Assert.Equal(1, await check.SeedHistory.CountAsync(h => h.Dataset == SeedLoader.DatasetName));
    }
}
