using System.Text.Json;
using System.Text.Json.Nodes;
using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Disputes;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.History;
using AiLandscape.Web.Features.Valuations;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AiLandscape.Tests.Features.AsOf;

/// <summary>
/// Issue 13's property, through the services the pages use: random days of creates, edits, deletes, reverts and
/// dispute resolutions. For every day, the company profiles as of that day in knowledge time are the profiles read at
/// the end of that day; in event time, today's records dated on or before the day. Each day's writes are moved one day
/// back once it ends (history and audit alike, <see cref="KeptHistoryClock.ShiftBackAsync"/>), so a sample of n days
/// ends with its days on the n calendar days before today.
/// </summary>
public class AsOfPropertyTests : IAsyncLifetime
{
    private static readonly string[] Companies = ["moonshot-ai", "zhipu-ai", "baichuan"];

    private enum Kind { Create, Edit, Delete, Revert, Resolve }

    private sealed record Op(Kind Kind, int Company, int Pick, int Month);

    private static readonly Gen<Op> AnOp = Gen.Select(Gen.Enum<Kind>(), Gen.Int[0, 2], Gen.Int[0, 99], Gen.Int[1, 12],
        (k, c, p, m) => new Op(k, c, p, m));

    /// <summary>One to four days of one to three writes each.</summary>
    private static readonly Gen<Op[][]> Days = AnOp.Array[1, 3].Array[1, 4];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("as_of_property");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Every_day_reads_as_it_was_at_its_end_in_knowledge_time_and_as_dated_in_event_time()
    {
        await Days.SampleAsync(CheckAsync, iter: 12, threads: 1);

        // The samples did write every kind of change the property is about.
        await using var db = _app.Db();
        var written = await db.AuditEntries.Select(a => new { a.Action, a.RecordType }).Distinct().ToListAsync();
        foreach (var action in Enum.GetValues<AuditAction>())
        {
            Assert.Contains(written, w => w.Action == action && w.RecordType == RecordType.ValuationPoint);
        }
        Assert.Contains(written, w => w.RecordType == RecordType.DisputeResolution);
    }

    [Fact]
    public async Task The_property_catches_a_history_trigger_that_forgets_edits()
    {
        // Edits of valuations no longer reach the history: the old amount still looks current afterwards.
        await using (var owner = _app.OwnerDb())
        {
            await owner.Database.ExecuteSqlRawAsync("DROP TRIGGER keep_history_of_updates ON valuation_points");
        }
        // The database outlives each sample, so once an edit is lost every later sample fails too: what counts is
        // that the property finds a wrong past (a mismatch), not which sample it shrinks to.
        // Each sample starts with an edit of one of Moonshot AI's valuations (it has some in the seed).
        var withAnEdit = Days.Select(days => days.Prepend([new Op(Kind.Edit, 0, 0, 1)]).ToArray());
        var e = await Assert.ThrowsAsync<CsCheckException>(() => withAnEdit.SampleAsync(CheckAsync, iter: 8, threads: 1));
        Assert.IsType<Xunit.Sdk.EqualException>(e.InnerException);
    }

    private async Task CheckAsync(Op[][] days)
    {
        var ends = new List<(int Day, DateTimeOffset At, Dictionary<string, string> Profiles)>();
        for (var i = 0; i < days.Length; i++)
        {
            foreach (var op in days[i])
            {
                await WriteAsync(op);
            }
            ends.Add((i, DateTimeOffset.UtcNow, await ProfilesAsync(null)));
            await KeptHistoryClock.ShiftBackAsync(_app, TimeSpan.FromDays(1));
        }

        // Knowledge time: day i's writes now lie (n - i) days back.
        foreach (var (day, at, profiles) in ends)
        {
            var date = DateOnly.FromDateTime(at.AddDays(-(days.Length - day)).UtcDateTime);
            var view = new AsOfView(date, AsOfMode.KnowledgeTime);
            var then = await ProfilesAsync(view);
            var asOf = _app.App.Services.GetRequiredService<AsOfContexts>();
            await using var known = await asOf.For(view).CreateDbContextAsync();
            foreach (var slug in Companies)
            {
                Assert.Equal(profiles[slug], then[slug]);
                // The figures kept for then (the lists and the dashboard read them) are that profile's.
                var profile = (await new CompanyService(asOf.For(view)).GetProfileAsync(slug))!;
                var stored = await known.Companies.Where(c => c.Slug == slug).Select(c => c.Figures).SingleAsync();
                Assert.Equal((slug, date, profile.Figures.LatestValuation?.ValuedOn, profile.Figures.LatestValuation?.Qualifier ?? FigureQualifier.Exact),
                    (slug, date, stored.LatestValuationOn, stored.LatestValuationQualifier));
            }
        }

        // Event time: today's records dated on or before the day, on the day of each valuation and the day before it.
        var today = await TodayAsync();
        var dates = today.Values.SelectMany(p => p.Valuations).SelectMany(v => new[] { v.ValuedOn, v.ValuedOn.AddDays(-1) })
            .Distinct().Order().ToList();
        var contexts = _app.App.Services.GetRequiredService<AsOfContexts>();
        foreach (var date in dates)
        {
            var view = new AsOfView(date, AsOfMode.EventTime);
            var service = new CompanyService(contexts.For(view));
            await using var db = await contexts.For(view).CreateDbContextAsync();
            foreach (var slug in Companies)
            {
                var now = today[slug];
                var then = (await service.GetProfileAsync(slug))!;
                // Everything the view shows, unfiltered: a later record leaking into it fails as a missing one does.
                Assert.Equal(Dated(now, date), Dated(then, DateOnly.MaxValue) with { Date = date });
                // The figures stored for the day (the spans lists and the dashboard sort on) are the profile's.
                var stored = await db.Companies.Where(c => c.Slug == slug).Select(c => c.Figures).SingleAsync();
                Assert.Equal((slug, date, then.Figures.LatestValuation?.ValuedOn, then.Figures.LatestValuation?.Qualifier ?? FigureQualifier.Exact,
                        then.Figures.RoundCount),
                    (slug, date, stored.LatestValuationOn, stored.LatestValuationQualifier, stored.RoundCount));
            }
        }
    }

    private sealed record DatedRecords(DateOnly Date, string Records);

    /// <summary>What event time keeps of a profile on a day: the records dated by then, as they are.</summary>
    private static DatedRecords Dated(CompanyProfile p, DateOnly date) => new(date, JsonSerializer.Serialize(new
    {
        Valuations = p.Valuations.Where(v => v.ValuedOn <= date).OrderBy(v => v.Id),
        Rounds = p.Rounds.Where(r => r.AnnouncedOn <= date).Select(r => new { r.Id, r.AnnouncedOn, r.Stage }).OrderBy(r => r.Id),
        Events = p.Events.Where(e => e.OccurredOn <= date).OrderBy(e => e.Id),
        Models = p.Models.Where(m => m.ReleasedOn <= date).OrderBy(m => m.Id),
    }, Json));

    private async Task<Dictionary<string, CompanyProfile>> TodayAsync()
    {
        var service = new CompanyService(_app.App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>());
        var profiles = new Dictionary<string, CompanyProfile>();
        foreach (var slug in Companies)
        {
            profiles[slug] = (await service.GetProfileAsync(slug))!;
        }
        return profiles;
    }

    /// <summary>Each company's whole profile as the page receives it, today or as of a view.</summary>
    private async Task<Dictionary<string, string>> ProfilesAsync(AsOfView? view)
    {
        var service = new CompanyService(view is null
            ? _app.App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>()
            : _app.App.Services.GetRequiredService<AsOfContexts>().For(view));
        var profiles = new Dictionary<string, string>();
        foreach (var slug in Companies)
        {
            profiles[slug] = WithoutVersions(JsonSerializer.SerializeToNode(await service.GetProfileAsync(slug)))!.ToJsonString(Json);
        }
        return profiles;
    }

    /// <summary>
    /// Row versions are PostgreSQL's xmin of the row read, which a history row has of its own: they guard edits
    /// against lost updates and an as-of view never edits, so they are left out of the comparison.
    /// </summary>
    private static JsonNode? WithoutVersions(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                o.Remove("Version");
                foreach (var (_, child) in o)
                {
                    WithoutVersions(child);
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    WithoutVersions(child);
                }
                break;
        }
        return node;
    }

    /// <summary>
    /// One write through the editing services as an editor. A write the service refuses (a revert that conflicts, a
    /// dispute already resolved that way) writes nothing, which the property covers as well.
    /// </summary>
    private async Task WriteAsync(Op op)
    {
        var slug = Companies[op.Company];
        var valuations = await _app.ServiceAsAsync<ValuationEditService>(EditingApp.Editor);
        await using var db = _app.Db();
        var ids = await db.ValuationPoints.Where(v => v.Company.Slug == slug).OrderBy(v => v.Id).Select(v => new { v.Id, v.Version }).ToListAsync();
        var picked = ids.Count == 0 ? null : ids[op.Pick % ids.Count];
        switch (op.Kind)
        {
            case Kind.Create:
            {
                var r = (await valuations.NewAsync(slug))!.Request;
                r.ValuedOn = $"2025-{op.Month:00}";
                r.Amount = 1_000_000_000m * (op.Pick + 1);
                r.Currency = op.Pick % 3 == 0 ? "CNY" : "USD";
                r.Basis = ValuationBasis.PostMoney;
                r.Qualifier = (FigureQualifier)(op.Month % 4);
                r.Sources = [new SourceInput
                {
                    Url = $"https://example.com/{slug}/{op.Pick}-{op.Month}", Title = $"{slug} valued", Publisher = "Example News",
                    PublishedOn = $"2025-{op.Month:00}",
                }];
                Succeeded(await valuations.SaveAsync(r), op);
                break;
            }
            case Kind.Edit when picked is not null:
            {
                var r = (await valuations.EditAsync(picked.Id))!.Request;
                r.Amount = (r.Amount ?? 1m) + op.Pick + 1;
                r.ValuedOn = $"2024-{op.Month:00}";
                r.Qualifier = (FigureQualifier)((op.Pick + op.Month) % 4);
                Succeeded(await valuations.SaveAsync(r), op);
                break;
            }
            case Kind.Delete when picked is not null:
                Succeeded(await valuations.DeleteAsync(picked.Id, picked.Version), op);
                break;
            case Kind.Revert:
            {
                var changes = await db.AuditEntries.OrderByDescending(a => a.Id).Select(a => a.ChangeSetId).Take(3).ToListAsync();
                if (changes.Count > 0)
                {
                    var history = await _app.ServiceAsAsync<HistoryService>(EditingApp.Editor);
                    await history.RevertAsync(changes[op.Pick % changes.Count]);
                }
                break;
            }
            case Kind.Resolve:
            {
                var disputes = await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor);
                var page = await disputes.ListAsync(DisputeStatus.All, 1, DisputeService.MaxPageSize);
                var open = page.Items.Where(d => d.CompanySlug == slug && d.Kind != DisputeFieldKind.None && d.Values.Count > 0).ToList();
                if (open.Count > 0)
                {
                    var item = open[op.Pick % open.Count];
                    var r = DisputeService.NewRequest(item, item.Values[op.Month % item.Values.Count], page.LoadedAt);
                    r.Reason = $"Checked on day {op.Month}";
                    await disputes.ResolveAsync(r);
                }
                break;
            }
        }
    }

    private static void Succeeded(SaveResult result, Op op) =>
        Assert.True(result.Succeeded, $"{op}: " + string.Join(" | ", result.Errors.Select(e => e.Message)));
}
