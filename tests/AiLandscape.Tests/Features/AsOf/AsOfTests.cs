using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Compare;
using AiLandscape.Web.Features.Dashboard;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Investors;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Features.Valuations;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.AsOf;

/// <summary>
/// The landscape as of a day, in event time (dated on or before it) and knowledge time (what the database held,
/// rebuilt from the audit trail), read through the same services the pages use.
/// </summary>
public class AsOfTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("as_of");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private IDbContextFactory<AppDbContext> Factory(AsOfView view) =>
        _app.App.Services.GetRequiredService<AsOfContexts>().For(view);

    private CompanyService Profiles(AsOfView? view) => view is null
        ? _app.App.Services.GetRequiredService<IServiceScopeFactory>().CreateScope().ServiceProvider.GetRequiredService<CompanyService>()
        : new CompanyService(Factory(view));

    /// <summary>As if everything written so far in this test had been written on that day (audit and kept history).</summary>
    private Task BackdateAsync(DateTimeOffset at) => KeptHistoryClock.BackdateAsync(_app, at);

    private async Task<int> AddDeepSeekRoundAsync()
    {
        var service = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var form = await service.NewAsync("deepseek");
        var r = form!.Request;
        r.AnnouncedOn = "2025-06";
        r.LabelAsAnnounced = "A轮";
        r.Stage = RoundStage.SeriesA;
        r.Currency = "USD";
        r.Amount = 700_000_000m;
        r.Sources = [new SourceInput { Url = "https://example.com/deepseek-a", Title = "DeepSeek raises", Publisher = "Example News", PublishedOn = "2025-06" }];
        var saved = await service.SaveAsync(r);
        Assert.True(saved.Succeeded, string.Join(" | ", saved.Errors.Select(e => e.Message)));
        return saved.Id!.Value;
    }

    [Fact]
    public async Task In_knowledge_time_a_round_recorded_after_the_day_is_absent_and_today_it_is_there()
    {
        var before = (await Profiles(null).GetProfileAsync("deepseek"))!;
        var id = await AddDeepSeekRoundAsync();
        var yesterday = new AsOfView(Today.AddDays(-1), AsOfMode.KnowledgeTime);

        var then = (await Profiles(yesterday).GetProfileAsync("deepseek"))!;
        var now = (await Profiles(new AsOfView(Today, AsOfMode.KnowledgeTime)).GetProfileAsync("deepseek"))!;
        var current = (await Profiles(null).GetProfileAsync("deepseek"))!;

        Assert.DoesNotContain(then.Rounds, r => r.Id == id);
        Assert.Equal(before.Rounds.Count, then.Rounds.Count);
        Assert.Equal(before.Figures.TotalRaised.Usd, then.Figures.TotalRaised.Usd);
        Assert.Contains(now.Rounds, r => r.Id == id);
        // The view of a day leaves the live profile as it is.
        Assert.Contains(current.Rounds, r => r.Id == id);
        Assert.Equal(before.Rounds.Count + 1, current.Rounds.Count);
        // Its source, cited after the day, is not known then either.
        Assert.DoesNotContain(then.Citations.All, c => c.Title == "DeepSeek raises");
    }

    [Fact]
    public async Task In_knowledge_time_a_value_edited_after_the_day_shows_its_earlier_value_everywhere()
    {
        var service = await _app.ServiceAsAsync<ValuationEditService>(EditingApp.Editor);
        var form = (await service.NewAsync("moonshot-ai"))!;
        var r = form.Request;
        r.ValuedOn = "2026-06";
        r.Amount = 9_000_000_000m;
        r.Currency = "USD";
        r.Basis = ValuationBasis.PostMoney;
        r.Sources = [new SourceInput { Url = "https://example.com/moonshot-9b", Title = "Moonshot at 9B", Publisher = "Example News", PublishedOn = "2026-06" }];
        var created = await service.SaveAsync(r);
        Assert.True(created.Succeeded, string.Join(" | ", created.Errors.Select(e => e.Message)));
        var id = created.Id!.Value;
        await BackdateAsync(DateTimeOffset.UtcNow.AddDays(-10));

        var edit = (await service.EditAsync(id))!.Request;
        edit.Amount = 12_000_000_000m;
        Assert.True((await service.SaveAsync(edit)).Succeeded);

        var fiveDaysAgo = new AsOfView(Today.AddDays(-5), AsOfMode.KnowledgeTime);
        var profile = (await Profiles(fiveDaysAgo).GetProfileAsync("moonshot-ai"))!;
        Assert.Equal(9_000_000_000m, profile.Valuations.Single(v => v.Id == id).Amount);
        Assert.Equal(9_000_000_000m, profile.Figures.LatestValuation!.Amount);

        var compare = await new CompareService(Factory(fiveDaysAgo)).CompareAsync(["moonshot-ai", "minimax"], RateMode.FigureDate);
        Assert.Equal(9_000_000_000m, compare.Companies.Single(c => c.Slug == "moonshot-ai").LatestValuation!.Amount);

        // Before it was recorded at all, the seeded 4.8B was the latest; today the edit shows.
        var elevenDaysAgo = new AsOfView(Today.AddDays(-11), AsOfMode.KnowledgeTime);
        var earlier = (await Profiles(elevenDaysAgo).GetProfileAsync("moonshot-ai"))!;
        Assert.DoesNotContain(earlier.Valuations, v => v.Id == id);
        Assert.Equal(4_800_000_000m, earlier.Figures.LatestValuation!.Amount);
        var today = (await Profiles(null).GetProfileAsync("moonshot-ai"))!;
        Assert.Equal(12_000_000_000m, today.Figures.LatestValuation!.Amount);
    }

    [Fact]
    public async Task In_knowledge_time_a_record_deleted_after_the_day_is_still_there()
    {
        await using var db = _app.Db();
        var latest = await db.ValuationPoints.Where(v => v.Company.Slug == "moonshot-ai")
            .OrderByDescending(v => v.ValuedOn).FirstAsync();
        var service = await _app.ServiceAsAsync<ValuationEditService>(EditingApp.Editor);
        Assert.True((await service.DeleteAsync(latest.Id, latest.Version)).Succeeded);

        var then = (await Profiles(new AsOfView(Today.AddDays(-1), AsOfMode.KnowledgeTime)).GetProfileAsync("moonshot-ai"))!;
        var now = (await Profiles(null).GetProfileAsync("moonshot-ai"))!;

        var restored = Assert.Single(then.Valuations, v => v.Id == latest.Id);
        Assert.Equal(latest.Amount, restored.Amount);
        Assert.Equal(latest.Id, then.Figures.LatestValuation!.Id);
        Assert.DoesNotContain(now.Valuations, v => v.Id == latest.Id);
    }

    [Fact]
    public async Task A_reverted_change_that_had_emptied_a_field_is_read_as_a_change_not_a_creation()
    {
        // The revert of "notes: 'first' → empty" has only empty old values; it must not be read as re-creating the
        // record (the knowledge-time view would drop it) and reverting it must not delete the record.
        var service = await _app.ServiceAsAsync<ValuationEditService>(EditingApp.Editor);
        var form = (await service.NewAsync("moonshot-ai"))!.Request;
        form.ValuedOn = "2026-05";
        form.Amount = 7_000_000_000m;
        form.Currency = "USD";
        form.Basis = ValuationBasis.Estimate;
        form.Notes = "first";
        form.Sources = [new SourceInput { Url = "https://example.com/moonshot-7b", Title = "Moonshot at 7B", Publisher = "Example News", PublishedOn = "2026-05" }];
        var id = (await service.SaveAsync(form)).Id!.Value;
        await BackdateAsync(DateTimeOffset.UtcNow.AddDays(-10));
        var edit = (await service.EditAsync(id))!.Request;
        edit.Notes = null;
        Assert.True((await service.SaveAsync(edit)).Succeeded);
        var history = await _app.ServiceAsAsync<AiLandscape.Web.Features.History.HistoryService>(EditingApp.Editor);
        Guid LastChangeSet()
        {
            using var db = _app.Db();
            return db.AuditEntries.Where(a => a.RecordType == RecordType.ValuationPoint && a.RecordId == id)
                .OrderByDescending(a => a.Id).Select(a => a.ChangeSetId).First();
        }
        Assert.True((await history.RevertAsync(LastChangeSet())).Succeeded); // notes back to "first"

        var then = (await Profiles(new AsOfView(Today.AddDays(-5), AsOfMode.KnowledgeTime)).GetProfileAsync("moonshot-ai"))!;
        Assert.Equal("first", Assert.Single(then.Valuations, v => v.Id == id).Notes);

        Assert.True((await history.RevertAsync(LastChangeSet())).Succeeded); // undo the revert: notes empty again
        await using var check = _app.Db();
        var stored = await check.ValuationPoints.SingleOrDefaultAsync(v => v.Id == id);
        Assert.NotNull(stored);
        Assert.Null(stored.Notes);
    }

    [Fact]
    public async Task An_investor_profile_as_of_a_day_keeps_its_own_sources_and_leaves_out_later_rounds()
    {
        var investors = _app.App.Services.CreateScope().ServiceProvider.GetRequiredService<InvestorService>();
        var today = (await investors.GetProfileAsync("tencent"))!;
        var view = new AsOfView(Today.AddDays(-1), AsOfMode.KnowledgeTime);
        var then = (await new InvestorService(Factory(view)).GetProfileAsync("tencent"))!;
        Assert.Equal(today.InvestorSources.Count, then.InvestorSources.Count);

        var early = new AsOfView(new DateOnly(2023, 1, 1), AsOfMode.EventTime);
        var before = (await new InvestorService(Factory(early)).GetProfileAsync("tencent"))!;
        Assert.True(before.Citations.Count <= today.Citations.Count);
        Assert.NotEmpty(before.Rounds);
        Assert.True(before.Rounds.Count < today.Rounds.Count);
    }

    [Fact]
    public async Task In_knowledge_time_an_investor_keeps_a_participation_removed_since_in_a_company_it_no_longer_backs()
    {
        var investors = _app.App.Services.CreateScope().ServiceProvider.GetRequiredService<InvestorService>();
        await using var db = _app.Db();
        var tencent = await db.Investors.SingleAsync(i => i.Slug == "tencent");
        var service = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var r = (await service.NewAsync("deepseek"))!.Request;
        r.AnnouncedOn = "2025-06";
        r.LabelAsAnnounced = "A轮";
        r.Stage = RoundStage.SeriesA;
        r.Currency = "USD";
        r.Amount = 700_000_000m;
        r.Participations = [new ParticipationInput { InvestorId = tencent.Id, InvestorName = tencent.NameEn, IsLead = true }];
        r.Sources = [new SourceInput { Url = "https://example.com/deepseek-tencent", Title = "DeepSeek raises", Publisher = "Example News", PublishedOn = "2025-06" }];
        var saved = await service.SaveAsync(r);
        Assert.True(saved.Succeeded, string.Join(" | ", saved.Errors.Select(e => e.Message)));
        await BackdateAsync(DateTimeOffset.UtcNow.AddDays(-10));

        // Today Tencent is taken off the round: DeepSeek leaves its portfolio.
        var edit = (await service.EditAsync(saved.Id!.Value))!.Request;
        edit.Participations.Clear();
        Assert.True((await service.SaveAsync(edit)).Succeeded);

        var fiveDaysAgo = new AsOfView(Today.AddDays(-5), AsOfMode.KnowledgeTime);
        var then = (await new InvestorService(Factory(fiveDaysAgo)).GetProfileAsync("tencent"))!;
        var now = (await investors.GetProfileAsync("tencent"))!;

        Assert.Contains(then.Rounds, x => x.RoundId == saved.Id && x.CompanySlug == "deepseek");
        Assert.DoesNotContain(now.Rounds, x => x.CompanySlug == "deepseek");
    }

    [Fact]
    public async Task In_event_time_rounds_valuations_and_events_dated_after_the_day_are_absent()
    {
        var view = new AsOfView(new DateOnly(2025, 1, 1), AsOfMode.EventTime);

        var profile = (await Profiles(view).GetProfileAsync("moonshot-ai"))!;
        var today = (await Profiles(null).GetProfileAsync("moonshot-ai"))!;

        Assert.NotEmpty(profile.Rounds);
        Assert.All(profile.Rounds, r => Assert.True(r.AnnouncedOn <= view.Date));
        Assert.All(profile.Valuations, v => Assert.True(v.ValuedOn <= view.Date));
        Assert.All(profile.Events, e => Assert.True(e.OccurredOn <= view.Date));
        Assert.All(profile.Models, m => Assert.True(m.ReleasedOn <= view.Date));
        Assert.True(today.Rounds.Count > profile.Rounds.Count);
        Assert.Equal(3_300_000_000m, profile.Figures.LatestValuation!.Amount);
        Assert.Equal(4_800_000_000m, today.Figures.LatestValuation!.Amount);

        var compare = await new CompareService(Factory(view)).CompareAsync([], RateMode.FigureDate);
        var moonshot = compare.Companies.Single(c => c.Slug == "moonshot-ai");
        Assert.Equal(3_300_000_000m, moonshot.LatestValuation!.Amount);
        Assert.All(compare.Companies, c => Assert.True(c.LatestValuation is null || c.LatestValuation.ValuedOn <= view.Date));
    }

    [Fact]
    public async Task The_dashboard_as_of_an_earlier_day_counts_only_the_funding_and_models_known_by_then()
    {
        var view = new AsOfView(new DateOnly(2024, 1, 1), AsOfMode.EventTime);

        var then = await new DashboardService(Factory(view)).GetAsync();
        var today = await _app.App.Services.CreateScope().ServiceProvider.GetRequiredService<DashboardService>().GetAsync();

        Assert.All(then.Funding, f => Assert.True(f.Year <= 2024));
        Assert.Contains(today.Funding, f => f.Year >= 2025);
        Assert.All(then.ModelsByYear, m => Assert.True(m.Year <= 2024));
        Assert.True(then.Funding.Sum(f => f.Rounds) < today.Funding.Sum(f => f.Rounds));
    }

    [Fact]
    public async Task In_event_time_each_companys_stored_figures_are_those_its_profile_computes_for_the_day()
    {
        await using var live = _app.Db();
        var today = await live.Companies.ToDictionaryAsync(c => c.Slug, c => c.Figures);
        var differ = 0;
        // Moonshot AI's Series B and its valuation are dated 2024-08-01: that day counts them, the day before does not.
        foreach (var day in new[] { new DateOnly(2023, 6, 30), new DateOnly(2024, 7, 31), new DateOnly(2024, 8, 1), new DateOnly(2025, 1, 1) })
        {
            var view = new AsOfView(day, AsOfMode.EventTime);
            await using var db = await Factory(view).CreateDbContextAsync();
            var stored = await db.Companies.Select(c => new { c.Slug, c.Figures }).ToListAsync();

            Assert.Equal(today.Keys.Order(), stored.Select(s => s.Slug).Order()); // one span of each company holds the day
            foreach (var s in stored)
            {
                var profile = (await Profiles(view).GetProfileAsync(s.Slug))!;
                var f = profile.Figures;
                Assert.Equal(f.TotalRaised.HasAnyAmount ? Math.Round(f.TotalRaised.Usd, 2) : null, s.Figures.TotalRaisedUsd);
                Assert.Equal(f.LatestValuation?.ValuedOn, s.Figures.LatestValuationOn);
                Assert.Equal(f.LatestValuation?.Qualifier ?? FigureQualifier.Exact, s.Figures.LatestValuationQualifier);
                Assert.Equal(f.LastRound?.AnnouncedOn, s.Figures.LastRoundOn);
                Assert.Equal(profile.Rounds.Count, s.Figures.RoundCount);
                Assert.True(s.Figures.LastRoundOn is null || s.Figures.LastRoundOn <= day);
                differ += s.Figures.TotalRaisedUsd == today[s.Slug].TotalRaisedUsd ? 0 : 1;
            }
        }
        Assert.True(differ > 0, "some company had raised less by then than today");
    }

    [Fact]
    public async Task Two_saves_refreshing_one_companys_figures_at_once_take_turns_and_leave_one_span_per_day()
    {
        // Contexts without the app's retrying strategy, which does not let a test hold a transaction open.
        await using var first = _app.OwnerDb();
        await using var second = _app.OwnerDb();
        var id = await first.Companies.Where(c => c.Slug == "moonshot-ai").Select(c => c.Id).SingleAsync();
        await using var one = await first.Database.BeginTransactionAsync();
        await CompanyFiguresUpdater.RefreshAsync(first, [id]);
        await using var other = await second.Database.BeginTransactionAsync();
        var waiting = CompanyFiguresUpdater.RefreshAsync(second, [id]);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted); // it waits for the first save's commit
        await one.CommitAsync();
        await waiting; // and then replaces the spans the first wrote, without colliding with them
        await other.CommitAsync();

        await using var check = _app.Db();
        var spans = await check.CompanyFigureSteps.Where(s => s.CompanyId == id).OrderBy(s => s.FromOn).ToListAsync();
        Assert.Single(spans, s => s.UntilOn == null);
        Assert.All(spans.Zip(spans.Skip(1)), pair => Assert.Equal(pair.First.UntilOn, pair.Second.FromOn));
    }

    [Fact]
    public void The_event_time_view_of_companies_has_every_column_of_the_table()
    {
        // A migration that adds a column to companies must recreate companies_event_time (its columns are frozen).
        using var db = _app.Db();
        var columns = db.Database.SqlQueryRaw<string>("""
            SELECT column_name AS "Value" FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'companies'
            EXCEPT
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'companies_event_time'
            """).ToList();
        Assert.Empty(columns);
    }

    [Fact]
    public async Task An_edit_shows_at_once_in_a_view_of_a_day_it_belongs_to_and_not_in_one_before_it_was_known()
    {
        var view = new AsOfView(new DateOnly(2026, 1, 1), AsOfMode.EventTime);
        var before = await new DashboardService(Factory(view)).GetAsync();

        await AddDeepSeekRoundAsync();

        var after = await new DashboardService(Factory(view)).GetAsync();
        Assert.Equal(before.Funding.Sum(f => f.Rounds) + 1, after.Funding.Sum(f => f.Rounds));
        var yesterday = new AsOfView(Today.AddDays(-1), AsOfMode.KnowledgeTime);
        var known = await new DashboardService(Factory(yesterday)).GetAsync();
        var today = await _app.App.Services.CreateScope().ServiceProvider.GetRequiredService<DashboardService>().GetAsync();
        Assert.Equal(today.Funding.Sum(f => f.Rounds) - 1, known.Funding.Sum(f => f.Rounds));
        // Pages of the list as of a day follow one another.
        var first = await new CompanyService(Factory(view)).ListAsync(0, 5);
        var second = await new CompanyService(Factory(view)).ListAsync(1, 5);
        Assert.Equal(5, first.Items.Count);
        Assert.Empty(first.Items.Select(c => c.Slug).Intersect(second.Items.Select(c => c.Slug)));
    }

    [Fact]
    public async Task A_view_of_a_day_refuses_to_write()
    {
        await using var db = await Factory(new AsOfView(Today.AddDays(-1), AsOfMode.KnowledgeTime)).CreateDbContextAsync();
        var company = await db.Companies.AsTracking().FirstAsync();
        company.Summary = "changed";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        Assert.Contains("read-only", error.Message);
    }

    [Theory]
    [InlineData("2025-13-01", null, "“asOf” must be a date written YYYY-MM-DD")]
    [InlineData("1 Jan 2025", null, "“asOf” must be a date written YYYY-MM-DD")]
    [InlineData("1989-12-31", null, "“asOf” must be between 1990-01-01 and today")]
    [InlineData("2999-01-01", null, "“asOf” must be between 1990-01-01 and today")]
    [InlineData("2025-01-01", "yesterday", "“view” must be “event” or “knowledge”")]
    public void A_bad_as_of_parameter_is_refused_with_a_message_naming_it(string asOf, string? view, string expected)
    {
        var parsed = AsOfView.Parse(asOf, view, Today, out var error);

        Assert.Null(parsed);
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void The_view_reads_and_writes_its_query_parameters()
    {
        Assert.Null(AsOfView.Parse(null, null, Today, out var none));
        Assert.Null(none);
        Assert.Equal(new AsOfView(new DateOnly(2025, 1, 1), AsOfMode.EventTime), AsOfView.Parse("2025-01-01", null, Today, out _));
        var knowledge = AsOfView.Parse("2025-01-01", "knowledge", Today, out _)!;
        Assert.Equal(AsOfMode.KnowledgeTime, knowledge.Mode);
        Assert.Equal("/compare?c=a,b&asOf=2025-01-01&view=knowledge", AsOfView.Apply("/compare?c=a,b&asOf=2024-01-01", knowledge));
        Assert.Equal("/compare?c=a,b", AsOfView.Apply("/compare?c=a,b&asOf=2024-01-01&view=event", null));
    }

    [Fact]
    public async Task In_knowledge_time_a_company_and_an_investor_renamed_since_are_found_at_todays_address_with_their_old_one()
    {
        var companies = await _app.ServiceAsAsync<CompanyEditService>(EditingApp.Editor);
        var company = (await companies.EditAsync("moonshot-ai"))!.Request;
        company.Slug = "moonshot";
        Assert.Equal(SaveStatus.Saved, (await companies.SaveAsync(company)).Status);
        var investors = await _app.ServiceAsAsync<InvestorEditService>(EditingApp.Editor);
        var investor = (await investors.EditAsync("tencent"))!.Request;
        investor.Slug = "tencent-holdings";
        Assert.Equal(SaveStatus.Saved, (await investors.SaveAsync(investor)).Status);
        var yesterday = new AsOfView(Today.AddDays(-1), AsOfMode.KnowledgeTime);

        // Yesterday (the seed's data) both had their old slugs: today's address and the old one both open the profile.
        foreach (var slug in new[] { "moonshot", "moonshot-ai" })
        {
            var then = await Profiles(yesterday).GetProfileAsync(slug);
            Assert.Equal("moonshot-ai", then?.Slug);
        }
        foreach (var slug in new[] { "tencent-holdings", "tencent" })
        {
            var then = await new InvestorService(Factory(yesterday)).GetProfileAsync(slug);
            Assert.Equal("tencent", then?.Slug);
        }
        // A comparison of yesterday, named by today's slugs or by yesterday's, holds the company; its valuation history
        // (the CSV) too; a slug no company ever had is reported as unknown.
        foreach (var slug in new[] { "moonshot", "moonshot-ai" })
        {
            var compare = await new CompareService(Factory(yesterday)).CompareAsync([slug, "minimax", "no-such-company"], RateMode.FigureDate);
            Assert.Equal(["moonshot-ai", "minimax"], compare.Companies.Select(r => r.Slug));
            Assert.Equal(["no-such-company"], compare.UnknownSlugs);
            var valued = new List<string>();
            await foreach (var v in new CompareService(Factory(yesterday)).ValuationHistoryAsync([slug], RateMode.FigureDate))
            {
                valued.Add(v.Slug);
            }
            Assert.Equal(["moonshot-ai"], valued.Distinct());
        }
        // Named by both, it is compared once.
        var both = await new CompareService(Factory(yesterday)).CompareAsync(["moonshot", "moonshot-ai", "minimax"], RateMode.FigureDate);
        Assert.Equal(["moonshot-ai", "minimax"], both.Companies.Select(r => r.Slug));
        // Today only the new addresses exist, and a slug no record ever had is still not found.
        Assert.Null(await Profiles(null).GetProfileAsync("moonshot-ai"));
        Assert.Null(await Profiles(yesterday).GetProfileAsync("no-such-company"));
        Assert.Null(await new InvestorService(Factory(yesterday)).GetProfileAsync("no-such-investor"));
    }
}
