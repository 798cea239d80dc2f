using AiLandscape.Tests.Features.Editing;
using AiLandscape.Tests.Features.Import;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.History;
using AiLandscape.Web.Features.Import;
using AiLandscape.Web.Features.Investors;
using AiLandscape.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Investors;

/// <summary>
/// /investors sorts and pages by figures stored on each investor (ADR 0021). After every kind of write that can move
/// them they must still be what <see cref="InvestorCredit"/> counts from the participations, and what the investor's
/// profile shows.
/// </summary>
public class StoredInvestorFiguresTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("stored_investor_figures");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string> Writes =>
    [
        "round added with a new investor",
        "unit's round moved to another date",
        "participation moved to another investor",
        "participation lead changed",
        "participation removed",
        "round deleted",
        "round deleted and the deletion reverted",
        "company deleted",
        "unit moved to another parent",
        "unit added and deleted",
        "rounds imported from CSV",
    ];

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task After_each_kind_of_write_the_stored_figures_are_the_credited_ones(string write)
    {
        var before = await StoredAsync();
        await WriteAsync(write);

        var after = await StoredAsync();
        if (write == "round deleted and the deletion reverted")
        {
            Assert.Equal(before, after); // back as they were
        }
        else
        {
            Assert.NotEqual(before, after); // each write moves someone's figures
        }
        await AssertStoredFiguresAreCreditedAsync();
        await AssertEventTimeSpansAreCreditedAsync();
        await AssertListAndProfilesAgreeAsync();
    }

    [Fact]
    public async Task The_list_sorts_and_pages_by_the_stored_figures_with_empty_values_last_both_ways()
    {
        var service = new InvestorService(_app.App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>());
        await using var db = _app.Db();
        var all = await db.Investors.AsNoTracking()
            .Select(i => new { i.Id, i.Slug, i.NameEn, i.Country, i.Figures.RoundCount, i.Figures.LatestInvestmentOn })
            .ToListAsync();

        var byRounds = all.OrderByDescending(i => i.RoundCount).ThenBy(i => i.NameEn, StringComparer.Ordinal).ThenBy(i => i.Id)
            .Select(i => i.Slug).ToList();
        var page2 = await service.ListAsync(new InvestorQuery { Sort = InvestorSort.Rounds, Descending = true, Page = 1, PageSize = 5 });
        Assert.Equal(all.Count, page2.TotalCount);
        Assert.Equal(byRounds.Skip(5).Take(5), page2.Items.Select(i => i.Slug));

        foreach (var descending in new[] { false, true })
        {
            var latest = await service.ListAsync(new InvestorQuery { Sort = InvestorSort.LatestInvestment, Descending = descending, PageSize = 100 });
            var dates = latest.Items.Select(i => i.LatestInvestmentOn).ToList();
            var dated = dates.TakeWhile(d => d is not null).ToList();
            Assert.All(dates.Skip(dated.Count), d => Assert.Null(d));
            Assert.Equal(descending ? dated.OrderDescending() : dated.Order(), dated);
            Assert.Contains(dates, d => d is null); // investors in no dated round exist in the seed, and come last

            var countries = (await service.ListAsync(new InvestorQuery { Sort = InvestorSort.Country, Descending = descending, PageSize = 100 }))
                .Items.Select(i => i.Country).ToList();
            var known = countries.TakeWhile(c => c is not null).ToList();
            Assert.All(countries.Skip(known.Count), c => Assert.Null(c));
        }
    }

    private async Task WriteAsync(string write)
    {
        var rounds = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var investors = await _app.ServiceAsAsync<InvestorEditService>(EditingApp.Admin);
        switch (write)
        {
            case "round added with a new investor":
            {
                var form = (await rounds.NewAsync("deepseek"))!.Request;
                form.AnnouncedOn = "2026-03-02";
                form.Stage = RoundStage.SeriesA;
                form.Amount = 500_000_000m;
                form.Participations =
                [
                    new ParticipationInput { InvestorId = await IdAsync("alibaba-cloud"), InvestorName = "Alibaba Cloud", IsLead = true },
                    new ParticipationInput { IsNewInvestor = true, NewInvestorNameEn = "Hangzhou AI Fund", NewInvestorKind = InvestorKind.StateBackedFund },
                ];
                form.Sources = [new() { Url = "https://example.com/deepseek-a", Title = "DeepSeek raises", Publisher = "Example", PublishedOn = "2026-03-02" }];
                Saved(await rounds.SaveAsync(form));
                break;
            }
            case "unit's round moved to another date":
            {
                var form = (await rounds.EditAsync(await UnitRoundAsync()))!.Request;
                form.AnnouncedOn = "2026-04";
                Saved(await rounds.SaveAsync(form));
                break;
            }
            case "participation moved to another investor":
            {
                var form = (await rounds.EditAsync(await UnitRoundAsync()))!.Request;
                var unitId = await IdAsync("alibaba-cloud");
                var unit = form.Participations.Single(p => p.InvestorId == unitId);
                unit.InvestorId = await IdAsync("hongshan");
                unit.InvestorName = "HongShan";
                Saved(await rounds.SaveAsync(form));
                break;
            }
            case "participation lead changed":
            {
                var form = (await rounds.EditAsync(await UnitRoundAsync()))!.Request;
                var unitId = await IdAsync("alibaba-cloud");
                var unit = form.Participations.Single(p => p.InvestorId == unitId);
                unit.IsLead = !unit.IsLead;
                Saved(await rounds.SaveAsync(form));
                break;
            }
            case "participation removed":
            {
                var form = (await rounds.EditAsync(await UnitRoundAsync()))!.Request;
                var unitId = await IdAsync("alibaba-cloud");
                form.Participations = form.Participations.Where(p => p.InvestorId != unitId).ToList();
                Saved(await rounds.SaveAsync(form));
                break;
            }
            case "round deleted":
            {
                var (id, version) = await RoundVersionAsync(await UnitRoundAsync());
                Saved(await rounds.DeleteAsync(id, version));
                break;
            }
            case "round deleted and the deletion reverted":
            {
                var (id, version) = await RoundVersionAsync(await UnitRoundAsync());
                Saved(await rounds.DeleteAsync(id, version));
                Guid changeSet;
                await using (var db = _app.Db())
                {
                    changeSet = (await db.AuditEntries.FirstAsync(a => a.RecordType == RecordType.FundingRound && a.RecordId == id)).ChangeSetId;
                }
                await AssertStoredFiguresAreCreditedAsync();
                var afterDelete = await StoredAsync();
                Saved(await (await _app.ServiceAsAsync<HistoryService>(EditingApp.Admin)).RevertAsync(changeSet));
                Assert.NotEqual(afterDelete, await StoredAsync());
                break;
            }
            case "company deleted":
            {
                var companies = await _app.ServiceAsAsync<CompanyEditService>(EditingApp.Admin);
                await using var db = _app.Db();
                var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Slug == "moonshot-ai");
                Saved(await companies.DeleteAsync(company.Id, company.Version));
                break;
            }
            case "unit moved to another parent":
            {
                var form = (await investors.EditAsync("alibaba-cloud"))!.Request;
                form.ParentId = await IdAsync("tencent");
                form.ParentName = "Tencent";
                Saved(await investors.SaveAsync(form));
                break;
            }
            case "unit added and deleted":
            {
                var result = await investors.SaveAsync(new InvestorRequest
                {
                    NameEn = "Tencent Test Fund", Slug = "tencent-test-fund", Kind = InvestorKind.CorporateStrategic,
                    ParentId = await IdAsync("tencent"), ParentName = "Tencent",
                });
                Saved(result);
                await AssertStoredFiguresAreCreditedAsync();
                Assert.Equal(1, (await StoredAsync())["tencent"].Units);
                var form = (await investors.EditAsync("tencent-test-fund"))!.Request;
                Saved(await investors.DeleteAsync(form.Id!.Value, form.Version));
                Assert.Equal(0, (await StoredAsync())["tencent"].Units);
                // A unit of its own for the comparison with the figures before.
                var again = new InvestorRequest
                {
                    NameEn = "Alibaba Test Fund", Slug = "alibaba-test-fund", Kind = InvestorKind.CorporateStrategic,
                    ParentId = await IdAsync("alibaba"), ParentName = "Alibaba",
                };
                Saved(await investors.SaveAsync(again));
                break;
            }
            case "rounds imported from CSV":
            {
                var import = await _app.ServiceAsAsync<RoundImportService>(EditingApp.Editor);
                var row = RoundImportTests.DeepSeekRound();
                row["lead_investors"] = "Alibaba Cloud";
                var preview = await import.PreviewAsync(RoundImportTests.Csv(row), "rounds.csv");
                var commit = await import.CommitAsync(preview);
                Assert.True(commit.Succeeded, string.Join("; ", commit.Save.Errors));
                Assert.Single(commit.RoundIds);
                break;
            }
            default:
                throw new ArgumentException(write);
        }
    }

    private static void Saved(Web.Features.Editing.SaveResult result) =>
        Assert.True(result.Succeeded, $"{result.Status}: {string.Join("; ", result.Errors)}");

    private async Task<int> IdAsync(string slug)
    {
        await using var db = _app.Db();
        return await db.Investors.Where(i => i.Slug == slug).Select(i => i.Id).SingleAsync();
    }

    /// <summary>The round Alibaba Cloud (a unit of Alibaba) took part in: 01.AI's, November 2023.</summary>
    private async Task<int> UnitRoundAsync()
    {
        await using var db = _app.Db();
        return await db.Participations.Where(p => p.Investor.Slug == "alibaba-cloud").Select(p => p.FundingRoundId).FirstAsync();
    }

    private async Task<(int Id, uint Version)> RoundVersionAsync(int id)
    {
        await using var db = _app.Db();
        var round = await db.FundingRounds.AsNoTracking().SingleAsync(r => r.Id == id);
        return (round.Id, round.Version);
    }

    private sealed record Figures(int Units, int Companies, int Rounds, int Leads, DateOnly? LatestOn, DatePrecision LatestPrecision);

    private async Task<Dictionary<string, Figures>> StoredAsync()
    {
        await using var db = _app.Db();
        return await db.Investors.AsNoTracking().ToDictionaryAsync(i => i.Slug, i => new Figures(i.Figures.UnitCount,
            i.Figures.CompanyCount, i.Figures.RoundCount, i.Figures.LeadCount, i.Figures.LatestInvestmentOn,
            i.Figures.LatestInvestmentPrecision));
    }

    /// <summary>Every investor's stored figures equal InvestorCredit's counts and the newest credited round.</summary>
    private async Task AssertStoredFiguresAreCreditedAsync()
    {
        await using var db = _app.Db();
        var counts = await InvestorCredit.CountsOf(db).ToDictionaryAsync(c => c.InvestorId);
        var credited = await InvestorCredit.All(db)
            .Join(db.FundingRounds, c => c.FundingRoundId, r => r.Id, (c, r) => new { c.InvestorId, r.AnnouncedOn, r.AnnouncedPrecision })
            .ToListAsync();
        var investors = await db.Investors.AsNoTracking().ToListAsync();
        foreach (var investor in investors)
        {
            var c = counts.GetValueOrDefault(investor.Id);
            var latestOn = credited.Where(x => x.InvestorId == investor.Id).Max(x => x.AnnouncedOn);
            var precisions = credited.Where(x => x.InvestorId == investor.Id && x.AnnouncedOn == latestOn && latestOn != null)
                .Select(x => x.AnnouncedPrecision).ToHashSet();
            var f = investor.Figures;
            Assert.Equal(
                (investor.Slug, investors.Count(u => u.ParentId == investor.Id), c?.Companies ?? 0, c?.Rounds ?? 0, c?.Leads ?? 0, latestOn),
                (investor.Slug, f.UnitCount, f.CompanyCount, f.RoundCount, f.LeadCount, f.LatestInvestmentOn));
            // Day-precise first among rounds of the same date, as the profile picks it.
            var expected = latestOn is null || precisions.Contains(DatePrecision.Day) ? DatePrecision.Day : f.LatestInvestmentPrecision;
            Assert.Equal((investor.Slug, expected), (investor.Slug, f.LatestInvestmentPrecision));
            Assert.True(latestOn is null || precisions.Contains(f.LatestInvestmentPrecision), investor.Slug);
        }
    }

    /// <summary>
    /// On the day of every dated round and the day before the first, the investors' event-time spans holding that day
    /// (what the event-time dashboard ranks) are InvestorCredit's counts over the rounds dated by then.
    /// </summary>
    private async Task AssertEventTimeSpansAreCreditedAsync()
    {
        List<DateOnly> days;
        await using (var db = _app.Db())
        {
            days = await db.FundingRounds.Where(r => r.AnnouncedOn != null).Select(r => r.AnnouncedOn!.Value).Distinct().ToListAsync();
        }
        days.Add(days.Min().AddDays(-1));
        var contexts = _app.App.Services.GetRequiredService<AsOfContexts>();
        foreach (var day in days)
        {
            await using var then = await contexts.For(new AsOfView(day, AsOfMode.EventTime)).CreateDbContextAsync();
            var counted = (await InvestorCredit.CountsOf(then).ToListAsync())
                .Select(c => (day, c.InvestorId, c.Rounds, c.Leads, c.Companies)).OrderBy(c => c.InvestorId);
            var spans = (await then.InvestorFigureSteps.ToListAsync())
                .Select(s => (day, s.InvestorId, s.RoundCount, s.LeadCount, s.CompanyCount)).OrderBy(c => c.InvestorId);
            Assert.Equal(counted, spans);
        }
    }

    private async Task AssertListAndProfilesAgreeAsync()
    {
        var service = new InvestorService(_app.App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>());
        var list = await service.ListAsync(new InvestorQuery { PageSize = 100 });
        Assert.True(list.TotalCount <= 100);
        foreach (var row in list.Items)
        {
            var profile = (await service.GetProfileAsync(row.Slug))!;
            Assert.Equal(
                (row.Slug, profile.Units.Count, profile.Figures.CompanyCount, profile.Figures.RoundCount, profile.Figures.LeadCount,
                    profile.Figures.LatestInvestmentOn, profile.Figures.LatestInvestmentPrecision),
                (row.Slug, row.UnitCount, row.CompanyCount, row.RoundCount, row.LeadCount, row.LatestInvestmentOn,
                    row.LatestInvestmentPrecision));
        }
    }
}
