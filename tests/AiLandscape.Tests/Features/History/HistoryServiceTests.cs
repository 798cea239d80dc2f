using System.Net;
using AiLandscape.Tests.Features.Accounts;
using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.History;
using AiLandscape.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.History;

/// <summary>The history list's filters and paging, and who may read it.</summary>
public class HistoryServiceTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("history");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<int> ChangeNotesAsync(string user, string notes)
    {
        var service = await _app.ServiceAsAsync<RoundEditService>(user);
        await using var db = _app.Db();
        var id = await db.FundingRounds.Where(r => r.Company.Slug == "moonshot-ai").OrderBy(r => r.Id).Select(r => r.Id).FirstAsync();
        var form = (await service.EditAsync(id))!.Request;
        form.Notes = notes;
        Assert.True((await service.SaveAsync(form)).Succeeded);
        return id;
    }

    [Fact]
    public async Task Filters_by_user_record_type_company_record_and_dates_and_pages_newest_first()
    {
        var id = await ChangeNotesAsync(EditingApp.Editor, "first");
        await ChangeNotesAsync(EditingApp.Admin, "second");
        await ChangeNotesAsync(EditingApp.Editor, "third");
        var history = await _app.ServiceAsAsync<HistoryService>(EditingApp.Analyst);
        await using var db = _app.Db();
        var moonshot = await db.Companies.SingleAsync(c => c.Slug == "moonshot-ai");

        var all = await history.ListAsync(new HistoryQuery());
        Assert.Equal(3, all.Total);
        Assert.Equal(["third", "second", "first"], all.Items.Select(r => EditAssert.Text(r.Changes.Single(c => c.Field == "Notes").New)));
        Assert.Equal("second", EditAssert.Text(all.Items[1].Changes.Single().New));
        Assert.Equal("first", EditAssert.Text(all.Items[1].Changes.Single().Old));

        Assert.Equal(2, (await history.ListAsync(new HistoryQuery(UserName: "demo ed"))).Total);
        Assert.Equal(1, (await history.ListAsync(new HistoryQuery(UserName: "ADMIN"))).Total);
        Assert.Equal(0, (await history.ListAsync(new HistoryQuery(UserName: "%"))).Total);
        Assert.Equal(3, (await history.ListAsync(new HistoryQuery(RecordType: RecordType.FundingRound))).Total);
        Assert.Equal(0, (await history.ListAsync(new HistoryQuery(RecordType: RecordType.Investor))).Total);
        Assert.Equal(3, (await history.ListAsync(new HistoryQuery(CompanyId: moonshot.Id))).Total);
        Assert.Equal(3, (await history.ListAsync(new HistoryQuery(OfRecordType: RecordType.FundingRound, OfRecordId: id))).Total);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal(3, (await history.ListAsync(new HistoryQuery(From: today, To: today))).Total);
        Assert.Equal(0, (await history.ListAsync(new HistoryQuery(To: today.AddDays(-1)))).Total);
        Assert.Equal(0, (await history.ListAsync(new HistoryQuery(From: today.AddDays(1)))).Total);

        var page = await history.ListAsync(new HistoryQuery(Page: 1, PageSize: 2));
        Assert.Equal(3, page.Total);
        Assert.Equal(all.Items[2].Id, Assert.Single(page.Items).Id);
    }

    [Fact]
    public async Task The_history_page_is_for_signed_in_users()
    {
        using var anonymous = AccountHttp.Client(_app.App);
        var refused = await anonymous.GetAsync("/history");
        Assert.Equal(HttpStatusCode.Found, refused.StatusCode);
        Assert.Equal("/account/login", refused.Headers.Location!.AbsolutePath);

        await ChangeNotesAsync(EditingApp.Editor, "visible to analysts");
        using var analyst = AccountHttp.Client(_app.App);
        await AccountHttp.LoginOrFailAsync(analyst, EditingApp.Analyst);
        var page = await analyst.GetAsync("/history?type=FundingRound");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-testid=\"history-filters\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_history_longer_than_the_count_cap_says_so_and_still_pages_newest_first()
    {
        var now = DateTimeOffset.UtcNow;
        await using (var db = _app.Db())
        {
            db.AuditEntries.AddRange(Enumerable.Range(0, CappedCount.Cap + 50).Select(i => new AuditEntry
            {
                At = now.AddSeconds(-i), UserName = "bulk@example.com", Action = AuditAction.Update,
                RecordType = RecordType.Company, RecordId = 1, ChangeSetId = Guid.NewGuid(), Summary = $"bulk {i}",
            }));
            await db.SaveChangesAsync();
        }
        var history = await _app.ServiceAsAsync<HistoryService>(EditingApp.Analyst);

        var first = await history.ListAsync(new HistoryQuery(PageSize: 50));
        Assert.True(first.TotalIsLowerBound);
        Assert.Equal(CappedCount.Cap, first.Total);
        Assert.Equal("10,000+", new ListTotal(first.Total, first.TotalIsLowerBound).ToString());
        Assert.Equal("bulk 0", first.Items[0].Summary);
        Assert.Equal("bulk 150", (await history.ListAsync(new HistoryQuery(Page: 3, PageSize: 50))).Items[0].Summary);

        // Below the cap the count is exact.
        var oneUser = await history.ListAsync(new HistoryQuery(UserName: EditingApp.Editor, PageSize: 50));
        Assert.False(oneUser.TotalIsLowerBound);
        Assert.Equal(oneUser.Items.Count, oneUser.Total);
    }

    [Fact]
    public async Task Adding_a_round_with_four_investors_and_a_source_is_one_history_entry_in_words_with_one_revert_that_undoes_it_all()
    {
        await using var db = _app.Db();
        var stepFun = await db.Companies.SingleAsync(c => c.Slug == "stepfun");
        var investors = await db.Investors.OrderBy(i => i.Id).Take(4).ToListAsync();
        var rounds = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var form = (await rounds.NewAsync("stepfun"))!.Request;
        form.AnnouncedOn = "2026-01-26";
        form.LabelAsAnnounced = "Series C";
        form.Stage = RoundStage.SeriesC;
        form.Currency = "CNY";
        form.Amount = 5_000_000_000m;
        form.Participations = investors.Select((i, n) => new ParticipationInput { InvestorId = i.Id, InvestorName = i.NameEn, IsLead = n == 0 }).ToList();
        form.Sources = [new SourceInput { Url = "https://example.com/stepfun-series-c", Title = "StepFun raises ¥5B", Publisher = "Example News", PublishedOn = "2026-01-26" }];
        var saved = await rounds.SaveAsync(form);
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
        var history = await _app.ServiceAsAsync<HistoryService>(EditingApp.Editor);

        var list = await history.ListChangeSetsAsync(new HistoryQuery(CompanyId: stepFun.Id));

        var entry = Assert.Single(list.Items);
        Assert.Equal(1, list.Total);
        Assert.Equal("Demo Editor added StepFun's Series C round, 26 Jan 2026, ¥5B, 4 investors, 1 source", entry.Sentence);
        Assert.True(entry.EntryCount >= 7, $"{entry.EntryCount} records"); // the round, 4 participations, the source, its citation
        Assert.Equal(entry.EntryCount, entry.Entries.Count);
        Assert.Equal(("StepFun's Series C round", $"/companies/stepfun#round-{saved.Id}"), (entry.Links[0].Text, entry.Links[0].Href));
        Assert.Contains(entry.Links, l => l.Href == "/companies/stepfun");
        Assert.All(investors, i => Assert.Contains(entry.Links, l => l.Text == i.NameEn && l.Href == $"/investors/{i.Slug}"));
        var participation = entry.Entries.First(e => e.RecordType == RecordType.Participation);
        Assert.Contains(participation.Fields!, f => f.Name == "Investor" && investors.Any(i => i.NameEn == f.New));
        Assert.DoesNotContain(entry.Entries.SelectMany(e => e.Fields!), f => f.Name.EndsWith(" id", StringComparison.Ordinal));
        // The same set, worded alike, on /history.
        Assert.Equal(entry.Sentence, (await history.ListChangeSetsAsync(new HistoryQuery())).Items.Single().Sentence);

        var revert = await history.RevertAsync(entry.ChangeSetId);

        Assert.True(revert.Succeeded, string.Join(" ", revert.Errors));
        Assert.False(await db.FundingRounds.AnyAsync(r => r.Id == saved.Id));
        Assert.False(await db.Sources.AnyAsync(s => s.Url == "https://example.com/stepfun-series-c"));
        Assert.False(await db.Participations.AnyAsync(p => p.FundingRoundId == saved.Id));
        var after = await history.ListChangeSetsAsync(new HistoryQuery(CompanyId: stepFun.Id));
        Assert.Equal(2, after.Total);
        Assert.True(after.Items[0].IsRevert);
        Assert.Equal("Demo Editor reverted an earlier change: “Added Series C round of StepFun”", after.Items[0].Sentence);
        Assert.True(after.Items[1].IsReverted);
        foreach (var set in after.Items)
        {
            // The round is gone: no link to it; the company and the investors still have their pages.
            Assert.DoesNotContain(set.Links, l => l.Href!.Contains("#round-", StringComparison.Ordinal));
            Assert.Contains(set.Links, l => l.Href == "/companies/stepfun");
            Assert.Equal(5, set.Links.Count);
        }
        Assert.Equal(entry.Sentence, after.Items[1].Sentence); // a deleted record is still named from its entry
    }

    [Fact]
    public async Task Change_sets_page_newest_first_and_filters_find_a_set_by_any_of_its_entries()
    {
        await ChangeNotesAsync(EditingApp.Editor, "first");
        await ChangeNotesAsync(EditingApp.Admin, "second");
        await ChangeNotesAsync(EditingApp.Editor, "third");
        var history = await _app.ServiceAsAsync<HistoryService>(EditingApp.Analyst);

        var all = await history.ListChangeSetsAsync(new HistoryQuery(PageSize: 2));
        Assert.Equal(3, all.Total);
        Assert.Equal(2, all.Items.Count);
        Assert.StartsWith("Demo Editor changed Moonshot AI's ", all.Items[0].Sentence, StringComparison.Ordinal);
        Assert.EndsWith(": notes", all.Items[0].Sentence, StringComparison.Ordinal);
        Assert.Equal("Notes", Assert.Single(all.Items[0].Entries.Single().Fields!).Name);
        Assert.Equal("third", all.Items[0].Entries.Single().Fields!.Single().New);
        Assert.Equal("first", Assert.Single((await history.ListChangeSetsAsync(new HistoryQuery(Page: 1, PageSize: 2))).Items).Entries.Single().Fields!.Single().New);
        Assert.Equal(1, (await history.ListChangeSetsAsync(new HistoryQuery(UserName: "admin"))).Total);
        Assert.Equal(0, (await history.ListChangeSetsAsync(new HistoryQuery(RecordType: RecordType.Investor))).Total);
    }
}
