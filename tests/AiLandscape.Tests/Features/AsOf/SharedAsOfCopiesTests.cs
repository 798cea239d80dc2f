using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Dashboard;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.AsOf;

/// <summary>
/// The whole landscape as of a day is copied once into a schema every request shares (the dashboard panels, the
/// company list and its pages, other users): an audited change gives a new copy, idle copies are dropped.
/// </summary>
public class SharedAsOfCopiesTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("shared_as_of");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private IDbContextFactory<AppDbContext> Landscape(AsOfView view) =>
        _app.App.Services.GetRequiredService<AsOfContexts>().For(view);

    private async Task<List<string>> CopiesAsync()
    {
        await using var db = _app.Db();
        var registered = await db.AsOfCopies.Select(c => c.SchemaName).OrderBy(n => n).ToListAsync();
        var schemas = await db.Database.SqlQueryRaw<string>(
            "SELECT nspname AS \"Value\" FROM pg_namespace WHERE nspname LIKE 'as\\_of\\_%' ORDER BY 1").ToListAsync();
        Assert.Equal(registered, schemas); // no copy without its registration, and none left behind
        return registered;
    }

    private async Task AddDeepSeekRoundAsync(string announcedOn)
    {
        var service = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var r = (await service.NewAsync("deepseek"))!.Request;
        r.AnnouncedOn = announcedOn;
        r.LabelAsAnnounced = "A轮";
        r.Stage = RoundStage.SeriesA;
        r.Currency = "USD";
        r.Amount = 700_000_000m;
        r.Sources = [new SourceInput { Url = "https://example.com/deepseek-a", Title = "DeepSeek raises", Publisher = "Example News", PublishedOn = announcedOn }];
        var saved = await service.SaveAsync(r);
        Assert.True(saved.Succeeded, string.Join(" | ", saved.Errors.Select(e => e.Message)));
    }

    [Fact]
    public async Task The_dashboard_and_every_page_of_the_list_as_of_a_day_read_one_copy_built_once_even_when_asked_at_once()
    {
        var view = new AsOfView(new DateOnly(2024, 1, 1), AsOfMode.EventTime);

        var panels = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => new DashboardService(Landscape(view)).GetAsync()));
        var first = await new CompanyService(Landscape(view)).ListAsync(0, 5);
        var second = await new CompanyService(Landscape(view)).ListAsync(1, 5);

        Assert.Single(await CopiesAsync());
        Assert.All(panels, p => Assert.Equal(panels[0].Funding.Sum(f => f.Rounds), p.Funding.Sum(f => f.Rounds)));
        Assert.All(panels[0].Funding, f => Assert.True(f.Year <= 2024));
        Assert.Equal(5, first.Items.Count);
        Assert.Empty(first.Items.Select(c => c.Slug).Intersect(second.Items.Select(c => c.Slug)));
    }

    [Fact]
    public async Task An_edit_shows_in_the_view_at_once_through_a_new_copy()
    {
        var view = new AsOfView(new DateOnly(2026, 1, 1), AsOfMode.EventTime);
        var before = await new DashboardService(Landscape(view)).GetAsync();

        await AddDeepSeekRoundAsync("2025-06");
        var after = await new DashboardService(Landscape(view)).GetAsync();

        Assert.Equal(before.Funding.Sum(f => f.Rounds) + 1, after.Funding.Sum(f => f.Rounds));
        Assert.Equal(2, (await CopiesAsync()).Count);

        // A knowledge-time view of yesterday does not know the round recorded today.
        var yesterday = new AsOfView(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1), AsOfMode.KnowledgeTime);
        var known = await new DashboardService(Landscape(yesterday)).GetAsync();
        var today = await _app.App.Services.CreateScope().ServiceProvider.GetRequiredService<DashboardService>().GetAsync();
        Assert.Equal(today.Funding.Sum(f => f.Rounds) - 1, known.Funding.Sum(f => f.Rounds));
    }

    [Fact]
    public async Task Copies_nobody_read_for_an_hour_are_dropped_when_another_is_built_and_recent_ones_kept()
    {
        await new DashboardService(Landscape(new AsOfView(new DateOnly(2023, 1, 1), AsOfMode.KnowledgeTime))).GetAsync();
        var idle = Assert.Single(await CopiesAsync());
        await using (var db = _app.Db())
        {
            await db.AsOfCopies.ExecuteUpdateAsync(s => s.SetProperty(c => c.LastUsedAt, DateTimeOffset.UtcNow.AddHours(-2)));
        }
        await new DashboardService(Landscape(new AsOfView(new DateOnly(2023, 6, 1), AsOfMode.EventTime))).GetAsync();
        Assert.DoesNotContain(idle, await CopiesAsync());
        var recent = Assert.Single(await CopiesAsync());

        await new DashboardService(Landscape(new AsOfView(new DateOnly(2024, 6, 1), AsOfMode.EventTime))).GetAsync();

        var left = await CopiesAsync();
        Assert.Equal(2, left.Count);
        Assert.Contains(recent, left);
        Assert.Contains(left, n => n.StartsWith("as_of_20240601_e_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_a_crash_empties_the_copies_and_their_registry_the_view_is_rebuilt_and_the_leftover_dropped()
    {
        var view = new AsOfView(new DateOnly(2025, 1, 1), AsOfMode.EventTime);
        var before = await new DashboardService(Landscape(view)).GetAsync();
        var copy = Assert.Single(await CopiesAsync());
        Assert.True(before.Funding.Sum(f => f.Rounds) > 0);

        // What a crash does to unlogged tables: the copy's rows and its registration are gone, its schema is left.
        await using (var db = _app.OwnerDb())
        {
            var truncate = $"TRUNCATE \"{copy}\".funding_rounds, \"{copy}\".participations, as_of_copies";
            await db.Database.ExecuteSqlRawAsync(truncate);
        }
        var other = await new DashboardService(Landscape(new AsOfView(new DateOnly(2024, 1, 1), AsOfMode.EventTime))).GetAsync();
        var left = Assert.Single(await CopiesAsync()); // the leftover schema was dropped
        Assert.NotEqual(copy, left);
        Assert.True(other.Funding.Sum(f => f.Rounds) > 0);

        var after = await new DashboardService(Landscape(view)).GetAsync();
        Assert.Equal(before.Funding.Sum(f => f.Rounds), after.Funding.Sum(f => f.Rounds));
        Assert.Contains(copy, await CopiesAsync());
    }

    [Fact]
    public async Task A_registered_copy_whose_schema_is_gone_is_rebuilt_rather_than_read_as_today()
    {
        var view = new AsOfView(new DateOnly(2024, 1, 1), AsOfMode.EventTime);
        var before = await new DashboardService(Landscape(view)).GetAsync();
        var copy = Assert.Single(await CopiesAsync());
        await using (var db = _app.Db())
        {
            var drop = $"DROP SCHEMA \"{copy}\" CASCADE";
            await db.Database.ExecuteSqlRawAsync(drop);
        }

        var after = await new DashboardService(Landscape(view)).GetAsync();

        Assert.Equal(before.Funding.Sum(f => f.Rounds), after.Funding.Sum(f => f.Rounds));
        Assert.All(after.Funding, f => Assert.True(f.Year <= 2024));
        Assert.Equal([copy], await CopiesAsync());
    }
}
