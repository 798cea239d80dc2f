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
[Collection(PostgresCollection.Name)]
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
}
