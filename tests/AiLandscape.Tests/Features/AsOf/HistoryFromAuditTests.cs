using System.Text.Json.Nodes;
using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.History;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Features.Valuations;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.AsOf;

/// <summary>
/// A database whose edits were made before migration KeptHistory gets their earlier versions back from its audit
/// trail: the same versions, in the same order, that the triggers keep for edits made since.
/// </summary>
public class HistoryFromAuditTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("history_from_audit");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Versions_from_before_the_kept_history_are_rebuilt_from_the_audit_trail_as_the_triggers_keep_them()
    {
        await EditAsync();
        var kept = await VersionsAsync();
        Assert.Contains(kept, k => k.Key.Table == "valuation_points" && k.Value.Count >= 3); // created, changed twice
        Assert.Contains(kept, k => k.Key.Table == "participations" && k.Value.Last() is null); // deleted since
        var instants = await InstantsAsync();
        var knownThen = await DatabaseAtAsync(instants);

        await LikeRightAfterTheMigrationAsync();
        Assert.NotEqual(Describe(kept), Describe(await VersionsAsync()));

        await using (var owner = _app.OwnerDb())
        {
            Assert.True(await HistoryFromAudit.RebuildAsync(owner) > 0);
            Assert.Equal(0, await HistoryFromAudit.RebuildAsync(owner)); // once only
        }

        Assert.Equal(Describe(kept), Describe(await VersionsAsync()));

        // The audited columns are back; the derived ones (figures, USD amounts, search text) are still the migration
        // day's in every earlier version, until they are recomputed.
        Assert.NotNull(FirstDifference(knownThen, await DatabaseAtAsync(instants)));
        await using (var owner = _app.OwnerDb())
        {
            Assert.True(await HistoryFromAudit.RederiveAsync(owner) > 0);
        }
        var rederived = await DatabaseAtAsync(instants);
        Assert.True(FirstDifference(knownThen, rederived) is null, FirstDifference(knownThen, rederived));
    }

    /// <summary>Each audited instant, one before the first, and now: the instants the database changed or stood still.</summary>
    private async Task<List<DateTime>> InstantsAsync()
    {
        await using var db = _app.Db();
        var at = (await db.AuditEntries.Select(a => a.At).Distinct().OrderBy(a => a).ToListAsync()).Select(a => a.UtcDateTime).ToList();
        return [at[0].AddSeconds(-1), .. at, DateTime.UtcNow];
    }

    /// <summary>Every row of every kept table, whole (derived columns too), as knowledge time reads it at each instant.</summary>
    private async Task<Dictionary<(DateTime At, string Table), List<string>>> DatabaseAtAsync(List<DateTime> instants)
    {
        await using var db = _app.OwnerDb();
        var result = new Dictionary<(DateTime, string), List<string>>();
        foreach (var at in instants)
        {
            foreach (var table in KeptHistory.Tables)
            {
                var select = $"""
                    SELECT (to_jsonb(h) - 'valid' - 'written_by')::text AS "Value" FROM {KeptHistory.HistoryOf(table)} h
                    WHERE h.valid @> @at ORDER BY h.id
                    """;
                result[(at, table)] = await db.Database.SqlQueryRaw<string>(select, new Npgsql.NpgsqlParameter("at", at)).ToListAsync();
            }
        }
        return result;
    }

    private static string? FirstDifference(Dictionary<(DateTime At, string Table), List<string>> expected,
        Dictionary<(DateTime At, string Table), List<string>> actual)
    {
        foreach (var (key, rows) in expected.OrderBy(e => e.Key.At))
        {
            var other = actual[key];
            if (!rows.SequenceEqual(other))
            {
                var missing = rows.Except(other).Take(2);
                var extra = other.Except(rows).Take(2);
                return $"{key.Table} at {key.At:O}:\nexpected {string.Join("\n", missing)}\nbut read {string.Join("\n", extra)}";
            }
        }
        return null;
    }

    /// <summary>Creates, changes, deletes and reverts through the editing services, each in a save of its own.</summary>
    private async Task EditAsync()
    {
        var valuations = await _app.ServiceAsAsync<ValuationEditService>(EditingApp.Editor);
        var v = (await valuations.NewAsync("moonshot-ai"))!.Request;
        v.ValuedOn = "2026-05";
        v.Amount = 7_000_000_000m;
        v.Currency = "USD";
        v.Basis = ValuationBasis.Estimate;
        v.Notes = "first";
        v.Sources = [new SourceInput { Url = "https://example.com/moonshot-7b", Title = "Moonshot at 7B", Publisher = "Example News", PublishedOn = "2026-05" }];
        var created = await valuations.SaveAsync(v);
        Assert.True(created.Succeeded, string.Join(" | ", created.Errors.Select(e => e.Message)));
        var id = created.Id!.Value;
        var edit = (await valuations.EditAsync(id))!.Request;
        edit.Amount = 8_000_000_000m;
        Assert.True((await valuations.SaveAsync(edit)).Succeeded);
        edit = (await valuations.EditAsync(id))!.Request;
        edit.Notes = null;
        Assert.True((await valuations.SaveAsync(edit)).Succeeded);

        // A seeded valuation deleted: known from the start until then.
        await using (var db = _app.Db())
        {
            var seeded = await db.ValuationPoints.Where(x => x.Company.Slug == "minimax").OrderBy(x => x.Id).FirstAsync();
            Assert.True((await valuations.DeleteAsync(seeded.Id, seeded.Version)).Succeeded);
        }

        // A round with an investor, who is then taken off it; the change is reverted and the revert reverted.
        var rounds = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        int tencent;
        await using (var db = _app.Db())
        {
            tencent = await db.Investors.Where(i => i.Slug == "tencent").Select(i => i.Id).SingleAsync();
        }
        var r = (await rounds.NewAsync("deepseek"))!.Request;
        r.AnnouncedOn = "2025-06";
        r.LabelAsAnnounced = "A轮";
        r.Stage = RoundStage.SeriesA;
        r.Currency = "USD";
        r.Amount = 700_000_000m;
        r.Participations = [new ParticipationInput { InvestorId = tencent, InvestorName = "Tencent", IsLead = true }];
        r.Sources = [new SourceInput { Url = "https://example.com/deepseek-a", Title = "DeepSeek raises", Publisher = "Example News", PublishedOn = "2025-06" }];
        var round = await rounds.SaveAsync(r);
        Assert.True(round.Succeeded, string.Join(" | ", round.Errors.Select(e => e.Message)));
        var change = (await rounds.EditAsync(round.Id!.Value))!.Request;
        change.Participations.Clear();
        Assert.True((await rounds.SaveAsync(change)).Succeeded);
        var history = await _app.ServiceAsAsync<HistoryService>(EditingApp.Editor);
        Assert.True((await history.RevertAsync(await LastChangeSetAsync())).Succeeded); // Tencent back on the round
        Assert.True((await history.RevertAsync(await LastChangeSetAsync())).Succeeded); // and off again

        // A company renamed (its search text follows the name) and the rate of a month with a yuan round changed (the
        // round's USD amount and its company's total follow the rate).
        var companies = await _app.ServiceAsAsync<CompanyEditService>(EditingApp.Editor);
        var zhipu = (await companies.EditAsync("zhipu-ai"))!.Request;
        zhipu.NameEn = "Z.ai Renamed";
        Assert.True((await companies.SaveAsync(zhipu)).Succeeded);
        int rateId;
        await using (var db = _app.Db())
        {
            rateId = await db.ExchangeRates
                .Where(e => db.FundingRounds.Any(x => x.Currency == e.Currency && x.Amount != null && x.AnnouncedOn != null
                    && x.AnnouncedOn.Value.Year == e.Month.Year && x.AnnouncedOn.Value.Month == e.Month.Month))
                .OrderBy(e => e.Id).Select(e => e.Id).FirstAsync();
        }
        var rates = await _app.ServiceAsAsync<ExchangeRateEditService>(EditingApp.Editor);
        var rate = (await rates.EditAsync(rateId))!;
        rate.UnitsPerUsd *= 1.5m;
        Assert.True((await rates.SaveAsync(rate)).Succeeded);
    }

    private async Task<Guid> LastChangeSetAsync()
    {
        await using var db = _app.Db();
        return await db.AuditEntries.OrderByDescending(a => a.Id).Select(a => a.ChangeSetId).FirstAsync();
    }

    /// <summary>
    /// Each record's versions, oldest first, as the audit trail knows them (its audited columns; versions that differ
    /// only in derived columns, such as a company's stored figures, are one), ending in null when it has been deleted.
    /// Only records with an audit entry: the others are the seed, one version known from the start either way.
    /// </summary>
    private async Task<Dictionary<(string Table, int Id), List<string?>>> VersionsAsync()
    {
        await using var db = _app.OwnerDb();
        var result = new Dictionary<(string, int), List<string?>>();
        foreach (var table in KeptHistory.Tables)
        {
            var entity = db.Model.GetEntityTypes().Single(t => t.BaseType is null && t.GetTableName() == table);
            var type = AuditTrail.RecordTypeOf(entity.ClrType)!.Value.ToString();
            var audited = entity.GetProperties().Where(AuditTrail.Audited).Select(p => p.GetColumnName()).ToHashSet();
            var select = $"""
                SELECT h.id AS id, upper_inf(h.valid) AS current, (to_jsonb(h) - 'valid' - 'written_by')::text AS row
                FROM {KeptHistory.HistoryOf(table)} h
                WHERE NOT isempty(h.valid)
                  AND EXISTS (SELECT 1 FROM audit_entries a WHERE a.record_type = '{type}' AND a.record_id = h.id)
                ORDER BY h.id, lower(h.valid)
                """;
            var rows = await db.Database.SqlQueryRaw<VersionRow>(select).ToListAsync();
            foreach (var record in rows.GroupBy(x => x.Id))
            {
                var versions = new List<string?>();
                foreach (var row in record)
                {
                    var all = JsonNode.Parse(row.Row)!.AsObject();
                    var kept = new JsonObject(all.Where(p => audited.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal)
                        .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
                    var text = kept.ToJsonString();
                    if (versions.Count == 0 || versions[^1] != text)
                    {
                        versions.Add(text);
                    }
                }
                if (!record.Last().Current)
                {
                    versions.Add(null);
                }
                result[(table, record.Key)] = versions;
            }
        }
        return result;
    }

    private sealed record VersionRow(int Id, bool Current, string Row);

    private static string Describe(Dictionary<(string Table, int Id), List<string?>> versions) =>
        string.Join("\n", versions.OrderBy(v => v.Key.Table, StringComparer.Ordinal).ThenBy(v => v.Key.Id)
            .Select(v => $"{v.Key.Table} {v.Key.Id}: {string.Join(" → ", v.Value.Select(x => x ?? "(deleted)"))}"));

    /// <summary>What migration KeptHistory leaves: each current row once, known since its last audit entry.</summary>
    private async Task LikeRightAfterTheMigrationAsync()
    {
        await using var db = _app.OwnerDb();
        foreach (var table in KeptHistory.Tables)
        {
            var entity = db.Model.GetEntityTypes().Single(t => t.BaseType is null && t.GetTableName() == table);
            var type = AuditTrail.RecordTypeOf(entity.ClrType)!.Value.ToString();
            var sql = $"""
                DELETE FROM {KeptHistory.HistoryOf(table)};
                INSERT INTO {KeptHistory.HistoryOf(table)}
                SELECT tstzrange(coalesce((SELECT max(a.at) FROM audit_entries a
                                           WHERE a.record_type = '{type}' AND a.record_id = x.id), '-infinity'), NULL),
                       '0'::xid8, x.*
                FROM {table} x;
                """;
            await db.Database.ExecuteSqlRawAsync(sql);
        }
    }
}
