using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.History;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.AsOf;

/// <summary>
/// Rolls the shadow tables of an as-of context back to an instant by undoing, newest first, every audited change
/// recorded from then on: a record created later goes, one deleted later comes back, an edited field gets its old value.
/// Records loaded by the seed have no audit entries: they count as known from the start.
/// </summary>
public static class AuditRollback
{
    public static async Task UndoAfterAsync(AppDbContext db, DateTimeOffset cutoff, int[]? companyIds, CancellationToken ct)
    {
        var types = AsOfDbContextFactory.Rebuilt.ToList();
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(a => a.At >= cutoff && types.Contains(a.RecordType))
            .Where(a => companyIds == null || a.CompanyId == null || companyIds.Contains(a.CompanyId.Value))
            .OrderByDescending(a => a.Id)
            .Select(a => new { a.Id, a.RecordType, a.RecordId, a.Action, a.Changes, a.RevertsEntryId })
            .ToListAsync(ct);
        if (entries.Count == 0)
        {
            return;
        }
        var effects = await AuditTrail.EffectsAsync(db, entries.Select(e => (e.Id, e.Action, e.RevertsEntryId)).ToList(), ct);

        // The records as they are in the shadow tables now, one query per record type.
        var existing = new Dictionary<(RecordType, int), object>();
        foreach (var group in entries.GroupBy(e => e.RecordType))
        {
            var ids = group.Select(e => e.RecordId).Distinct().ToList();
            foreach (var entity in await LoadAsync(db, group.Key, ids, ct))
            {
                existing[(group.Key, (int)db.Entry(entity).Property("Id").CurrentValue!)] = entity;
            }
        }

        // Walk back in time; null means "absent at this point".
        var state = existing.ToDictionary(x => x.Key, x => (object?)x.Value);
        foreach (var e in entries)
        {
            var key = (e.RecordType, e.RecordId);
            var changes = AuditTrail.Deserialize(e.Changes);
            var current = state.GetValueOrDefault(key);
            switch (effects[e.Id])
            {
                case AuditAction.Create:
                    state[key] = null;
                    break;
                case AuditAction.Update:
                    if (current is not null)
                    {
                        SetOldValues(db, current, changes);
                    }
                    break;
                default: // deleted later: it existed before, with the values the deletion recorded
                    var restored = current ?? existing.GetValueOrDefault(key)
                        ?? Activator.CreateInstance(AuditTrail.EntityTypeOf(db, e.RecordType).ClrType)!;
                    db.Entry(restored).Property("Id").CurrentValue = e.RecordId;
                    SetOldValues(db, restored, changes);
                    state[key] = restored;
                    break;
            }
        }

        foreach (var (key, final) in state)
        {
            var before = existing.GetValueOrDefault(key);
            if (before is not null && final is null)
            {
                db.Remove(before);
            }
            else if (before is null && final is not null)
            {
                db.Add(final);
            }
        }
        await db.SaveChangesAsync(ct);
    }

    private static void SetOldValues(AppDbContext db, object entity, IReadOnlyList<FieldChange> changes)
    {
        var entry = db.Entry(entity);
        foreach (var c in changes)
        {
            // Slugs stay as today: they are addresses, and the page asking was found by today's slug.
            if (c.Field == "Slug" || entry.Metadata.FindProperty(c.Field) is not { } property)
            {
                continue;
            }
            entry.Property(c.Field).CurrentValue = AuditTrail.FromJson(c.Old, property.ClrType);
        }
    }

    private static async Task<List<object>> LoadAsync(AppDbContext db, RecordType type, List<int> ids, CancellationToken ct) =>
        type switch
        {
            RecordType.Company => [.. await db.Companies.Where(x => ids.Contains(x.Id)).ToListAsync(ct)],
            RecordType.CompanyRole => [.. await db.CompanyRoles.Where(x => ids.Contains(x.Id)).ToListAsync(ct)],
            RecordType.FundingRound => [.. await db.FundingRounds.Where(x => ids.Contains(x.Id)).ToListAsync(ct)],
            RecordType.Participation => [.. await db.Participations.Where(x => ids.Contains(x.Id)).ToListAsync(ct)],
            RecordType.ValuationPoint => [.. await db.ValuationPoints.Where(x => ids.Contains(x.Id)).ToListAsync(ct)],
            RecordType.CompanyEvent => [.. await db.CompanyEvents.Where(x => ids.Contains(x.Id)).ToListAsync(ct)],
            RecordType.ModelRelease => [.. await db.ModelReleases.Where(x => ids.Contains(x.Id)).ToListAsync(ct)],
            RecordType.Citation => [.. await db.Citations.Where(x => ids.Contains(x.Id)).ToListAsync(ct)],
            RecordType.DisputeResolution => [.. await db.DisputeResolutions.Where(x => ids.Contains(x.Id)).ToListAsync(ct)],
            _ => [],
        };
}
