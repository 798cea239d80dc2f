using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.History;

/// <summary>Reads the audit trail (the /history page, the profiles' History tabs) and reverts a change.</summary>
public sealed class HistoryService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer)
{
    /// <summary>How many entries of one change set a page carries (an import can write thousands); the rest are counted.</summary>
    public const int EntriesShown = 60;

    /// <summary>The audit entries matching the filters, one row each (kept for callers that want single entries).</summary>
    public async Task<HistoryList> ListAsync(HistoryQuery q, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var entries = Filter(db, q);
        var total = await entries.CountUpToAsync(ct: ct);
        var pageSize = Math.Clamp(q.PageSize, 1, 200);
        var rows = await entries
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(Math.Max(q.Page, 0) * pageSize).Take(pageSize)
            .Select(a => new
            {
                a.Id, a.At, a.UserName, a.Action, a.RecordType, a.RecordId, a.Summary, a.ChangeSetId, a.RevertsEntryId,
                // "Not null" lets PostgreSQL read the small index of reverts only (without it, it hashed every entry).
                IsReverted = db.AuditEntries.Any(r => r.RevertsEntryId != null && r.RevertsEntryId == a.Id),
                a.Changes,
            })
            .ToListAsync(ct);
        return new HistoryList(rows.Select(a => new HistoryRow(a.Id, a.At, a.UserName, a.Action, a.RecordType, a.RecordId,
            a.Summary, a.ChangeSetId, a.RevertsEntryId, a.IsReverted, AuditTrail.Deserialize(a.Changes))).ToList(), total.Count,
            total.IsLowerBound);
    }

    /// <summary>
    /// The history as people read it: one row per saved change set that has an entry matching the filters, newest
    /// first, put into words with links to its records. A fixed number of SQL commands whatever the page or data size:
    /// the count, the page of change sets, their entries (at most <see cref="EntriesShown"/> each) with their counts,
    /// and the records they name (one command per record type, in at most two rounds).
    /// </summary>
    public async Task<ChangeSetList> ListChangeSetsAsync(HistoryQuery q, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var entries = Filter(db, q);
        var total = await entries.GroupBy(a => new { a.At, a.ChangeSetId }).Select(g => g.Key).CountUpToAsync(ct: ct);
        var pageSize = Math.Clamp(q.PageSize, 1, 200);
        // All entries of a save share its time (AuditedWriter), so a set is one (at, id) group; the index on
        // (at, change_set_id) hands the groups over newest first without reading past the page.
        var sets = await entries
            .GroupBy(a => new { a.At, a.ChangeSetId })
            .Select(g => g.Key)
            .OrderByDescending(k => k.At).ThenByDescending(k => k.ChangeSetId)
            .Skip(Math.Max(q.Page, 0) * pageSize).Take(pageSize)
            .ToListAsync(ct);
        if (sets.Count == 0)
        {
            return new ChangeSetList([], total.Count, total.IsLowerBound);
        }
        var ids = sets.Select(s => s.ChangeSetId).ToArray();

        var counts = (await db.AuditEntries.AsNoTracking()
                .Where(a => ids.Contains(a.ChangeSetId))
                .GroupBy(a => new { a.ChangeSetId, a.RecordType, a.Action })
                .Select(g => new { g.Key.ChangeSetId, g.Key.RecordType, g.Key.Action, Count = g.Count() })
                .ToListAsync(ct))
            .GroupBy(c => c.ChangeSetId)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<(RecordType, AuditAction), int>)g.ToDictionary(c => (c.RecordType, c.Action), c => c.Count));

        var limit = EntriesShown;
        var loaded = await db.AuditEntries
            .FromSql($"""
                SELECT e.* FROM unnest({ids}) AS s(id)
                CROSS JOIN LATERAL (SELECT * FROM audit_entries a WHERE a.change_set_id = s.id ORDER BY a.id LIMIT {limit}) AS e
                """)
            .AsNoTracking()
            .Select(a => new
            {
                a.Id, a.At, a.UserName, a.Action, a.RecordType, a.RecordId, a.Summary, a.ChangeSetId, a.RevertsEntryId,
                IsReverted = db.AuditEntries.Any(r => r.RevertsEntryId != null && r.RevertsEntryId == a.Id),
                a.Changes,
            })
            .ToListAsync(ct);
        var rows = loaded.Select(a => new HistoryRow(a.Id, a.At, a.UserName, a.Action, a.RecordType, a.RecordId, a.Summary,
            a.ChangeSetId, a.RevertsEntryId, a.IsReverted, AuditTrail.Deserialize(a.Changes))).ToList();

        var refs = await RecordRefs.LoadAsync(db, rows.SelectMany(HistoryWording.Mentions), ct);
        var more = refs.Mentions().Where(m => refs.Find(m.Type, m.Id) is null).ToList();
        if (more.Count > 0)
        {
            refs = refs.With(await RecordRefs.LoadAsync(db, more, ct));
        }

        var bySet = rows.GroupBy(r => r.ChangeSetId).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Id).ToList());
        var items = new List<ChangeSetRow>();
        foreach (var set in sets)
        {
            var setRows = bySet.GetValueOrDefault(set.ChangeSetId) ?? [];
            var setCounts = counts.GetValueOrDefault(set.ChangeSetId);
            var worded = setRows.Select(r => r with
            {
                Label = HistoryWording.Word(r, refs).Label,
                Fields = HistoryFormat.Fields(r, refs),
            }).Select(r => r with { Link = HistoryFormat.Link(r.RecordType, r.RecordId, refs, r.Label!) }).ToList();
            items.Add(new ChangeSetRow(set.ChangeSetId, set.At, setRows.FirstOrDefault()?.UserName,
                HistoryWording.Sentence(setRows.FirstOrDefault()?.UserName, setRows, refs, setCounts),
                setRows.FirstOrDefault()?.Summary,
                HistoryWording.Links(setRows, refs),
                worded,
                setCounts?.Values.Sum() ?? setRows.Count,
                setRows.Count > 0 && setRows.All(r => r.Action == AuditAction.Revert),
                setRows.Any(r => r.IsReverted)));
        }
        return new ChangeSetList(items, total.Count, total.IsLowerBound);
    }

    private static IQueryable<AuditEntry> Filter(AppDbContext db, HistoryQuery q)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q.UserName))
        {
            var pattern = "%" + Search.TextSearch.EscapeLike(q.UserName.Trim()) + "%";
            entries = entries.Where(a => EF.Functions.ILike(a.UserName!, pattern, "\\"));
        }
        if (q.RecordType is { } type)
        {
            entries = entries.Where(a => a.RecordType == type);
        }
        if (q.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            entries = entries.Where(a => a.At >= start);
        }
        if (q.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            entries = entries.Where(a => a.At < end);
        }
        if (q.CompanyId is { } companyId)
        {
            entries = entries.Where(a => a.CompanyId == companyId);
        }
        if (q.OfRecordType is { } ofType && q.OfRecordId is { } ofId)
        {
            entries = entries.Where(a => a.RecordType == ofType && a.RecordId == ofId);
        }
        return entries;
    }

    /// <summary>
    /// Undoes every entry of one saved change, newest first, as a new audited change. Refused, with the fields
    /// named, when a record was changed again since: reverting then would silently undo that later edit too.
    /// </summary>
    public Task<SaveResult> RevertAsync(Guid changeSetId, CancellationToken ct = default) =>
        writer.SaveAsync(DateTimeOffset.UtcNow, async (edit, token) =>
        {
            var db = edit.Db;
            var entries = await db.AuditEntries.AsNoTracking()
                .Where(a => a.ChangeSetId == changeSetId)
                .OrderByDescending(a => a.Id)
                .ToListAsync(token);
            if (entries.Count == 0)
            {
                return SaveResult.NotFound("That change is not in the history.");
            }
            var ids = entries.Select(e => (long?)e.Id).ToList();
            if (await db.AuditEntries.AnyAsync(a => ids.Contains(a.RevertsEntryId), token))
            {
                return SaveResult.Invalid("", "This change has already been reverted.");
            }

            var problems = new List<string>();
            var effects = await AuditTrail.EffectsAsync(db, entries.Select(e => (e.Id, e.Action, e.RevertsEntryId)).ToList(), token);
            foreach (var e in entries)
            {
                await UndoAsync(edit, e, effects[e.Id], problems, token);
            }
            if (problems.Count > 0)
            {
                return SaveResult.Invalid("", "This change cannot be reverted: " + string.Join("; ", problems) + ".");
            }

            edit.Summary = "Reverted: " + (entries[0].Summary ?? HistoryFormat.TypeName(entries[0].RecordType));
            edit.CompanyId = entries.Select(e => e.CompanyId).FirstOrDefault(c => c is not null);
            if (entries.Any(e => e.RecordType == RecordType.ExchangeRate))
            {
                edit.RefreshAllFigures();
            }
            else if (edit.CompanyId is { } companyId)
            {
                edit.RefreshFiguresOf(companyId);
            }
            return null;
        }, ct);

    private static async Task UndoAsync(EditContext edit, AuditEntry e, AuditAction effect, List<string> problems, CancellationToken ct)
    {
        var db = edit.Db;
        var entityType = AuditTrail.EntityTypeOf(db, e.RecordType);
        var changes = AuditTrail.Deserialize(e.Changes);
        var entity = await db.FindAsync(entityType.ClrType, [e.RecordId], ct);
        var what = $"the {HistoryFormat.TypeName(e.RecordType)} #{e.RecordId}";

        switch (effect)
        {
            case AuditAction.Create:
                if (entity is null)
                {
                    return; // already gone: nothing to undo
                }
                foreach (var c in changes.Where(c => !SameAsNow(db, entity, c.Field, c.New)))
                {
                    problems.Add($"{what} has a different {HistoryFormat.FieldName(c.Field).ToLowerInvariant()} now");
                }
                db.Remove(entity);
                if (e.RecordType != RecordType.Citation)
                {
                    // Citations point at records by type and id: they go with the record (and are audited).
                    db.Citations.RemoveRange(await db.Citations
                        .Where(c => c.RecordType == e.RecordType && c.RecordId == e.RecordId).ToListAsync(ct));
                }
                break;
            case AuditAction.Update:
                if (entity is null)
                {
                    problems.Add($"{what} has been deleted since");
                    return;
                }
                foreach (var c in changes)
                {
                    if (!SameAsNow(db, entity, c.Field, c.New))
                    {
                        problems.Add($"{what} has a different {HistoryFormat.FieldName(c.Field).ToLowerInvariant()} now");
                        continue;
                    }
                    var property = db.Entry(entity).Property(c.Field);
                    property.CurrentValue = AuditTrail.FromJson(c.Old, property.Metadata.ClrType);
                }
                break;
            default:
                if (entity is not null)
                {
                    problems.Add($"{what} exists again");
                    return;
                }
                entity = Activator.CreateInstance(entityType.ClrType)!;
                var entry = db.Entry(entity);
                entry.Property("Id").CurrentValue = e.RecordId;
                foreach (var c in changes)
                {
                    var property = entry.Property(c.Field);
                    property.CurrentValue = AuditTrail.FromJson(c.Old, property.Metadata.ClrType);
                }
                db.Add(entity);
                break;
        }
        edit.Reverts[entity] = e.Id;
    }

    private static bool SameAsNow(AppDbContext db, object entity, string field, System.Text.Json.JsonElement? value) =>
        AuditTrail.SameValue(AuditTrail.ToJson(db.Entry(entity).Property(field).CurrentValue), value);
}
