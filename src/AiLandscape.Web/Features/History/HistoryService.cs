using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.History;

/// <summary>Reads the audit trail (the /history page, the profiles' History tabs) and reverts a change.</summary>
public sealed class HistoryService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer)
{
    public async Task<HistoryList> ListAsync(HistoryQuery q, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
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
