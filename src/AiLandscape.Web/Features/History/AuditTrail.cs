using System.Text.Json;
using System.Text.Json.Serialization;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AiLandscape.Web.Features.History;

/// <summary>
/// Turns the change tracker's pending changes into audit entries: every created, updated or deleted record of a
/// <see cref="RecordType"/>, with each changed field's old and new value as JSON. Derived columns (the search text,
/// the stored figures, a round's stored USD amount) and the row version are left out: they are not anybody's edit.
/// </summary>
public static class AuditTrail
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly HashSet<string> Derived = ["Version", "SearchText", "AmountUsd", "AmountUsdIsApproximate"];

    /// <summary>A change seen before saving; for a new record its values (and id) are read after the save.</summary>
    public sealed class Pending(EntityEntry entry, AuditAction action, RecordType type, List<FieldChange> changes)
    {
        public EntityEntry Entry { get; } = entry;
        public AuditAction Action { get; } = action;
        public RecordType Type { get; } = type;
        public List<FieldChange> Changes { get; } = changes;
        public int RecordId { get; set; } = entry.State == EntityState.Added ? 0 : (int)entry.Property("Id").CurrentValue!;
    }

    public static RecordType? RecordTypeOf(Type clrType) =>
        Enum.TryParse<RecordType>(clrType.Name, out var t) ? t : null;

    public static IEntityType EntityTypeOf(AppDbContext db, RecordType type) =>
        db.Model.GetEntityTypes().Single(t => t.ClrType.Name == type.ToString());

    /// <summary>Call before SaveChanges: deleted records are gone from the tracker afterwards.</summary>
    public static List<Pending> Capture(AppDbContext db)
    {
        var pending = new List<Pending>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (RecordTypeOf(entry.Metadata.ClrType) is not { } type)
            {
                continue;
            }
            switch (entry.State)
            {
                case EntityState.Added:
                    pending.Add(new Pending(entry, AuditAction.Create, type, []));
                    break;
                case EntityState.Modified:
                    var changed = entry.Properties
                        .Where(p => p.IsModified && Audited(p.Metadata)
                                    && !p.Metadata.GetValueComparer().Equals(p.OriginalValue, p.CurrentValue))
                        .Select(p => new FieldChange(p.Metadata.Name, ToJson(p.OriginalValue), ToJson(p.CurrentValue)))
                        .ToList();
                    if (changed.Count > 0)
                    {
                        pending.Add(new Pending(entry, AuditAction.Update, type, changed));
                    }
                    break;
                case EntityState.Deleted:
                    pending.Add(new Pending(entry, AuditAction.Delete, type, entry.Properties
                        .Where(p => Audited(p.Metadata) && p.OriginalValue is not null)
                        .Select(p => new FieldChange(p.Metadata.Name, ToJson(p.OriginalValue), null))
                        .ToList()));
                    break;
            }
        }
        return pending;
    }

    /// <summary>Call after SaveChanges: new records now have their ids and generated values.</summary>
    public static void Complete(Pending p)
    {
        if (p.Action == AuditAction.Create)
        {
            p.RecordId = (int)p.Entry.Property("Id").CurrentValue!;
            p.Changes.AddRange(p.Entry.Properties
                .Where(x => Audited(x.Metadata) && x.CurrentValue is not null && !IsEmptyList(x.CurrentValue))
                .Select(x => new FieldChange(x.Metadata.Name, null, ToJson(x.CurrentValue))));
        }
    }

    /// <summary>
    /// Each entry's effect on its record. A revert does the opposite of the entry it reverts (which may itself be a
    /// revert): it re-creates what was deleted, deletes what was created, and changes what was changed. Read from the
    /// chain of reverted entries, not guessed from the values (a revert of "website a.com → empty" has only empty old
    /// values and is still a change).
    /// </summary>
    public static async Task<Dictionary<long, AuditAction>> EffectsAsync(AppDbContext db,
        IReadOnlyCollection<(long Id, AuditAction Action, long? RevertsEntryId)> entries, CancellationToken ct)
    {
        var known = entries.ToDictionary(e => e.Id, e => (e.Action, e.RevertsEntryId));
        var missing = entries.Where(e => e.Action == AuditAction.Revert && e.RevertsEntryId is { } r && !known.ContainsKey(r))
            .Select(e => e.RevertsEntryId!.Value).ToList();
        while (missing.Count > 0) // one query per level of "revert of a revert"
        {
            var more = await db.AuditEntries.AsNoTracking().Where(a => missing.Contains(a.Id))
                .Select(a => new { a.Id, a.Action, a.RevertsEntryId }).ToListAsync(ct);
            foreach (var m in more)
            {
                known[m.Id] = (m.Action, m.RevertsEntryId);
            }
            missing = more.Where(m => m.Action == AuditAction.Revert && m.RevertsEntryId is { } r && !known.ContainsKey(r))
                .Select(m => m.RevertsEntryId!.Value).Distinct().ToList();
        }

        AuditAction Effect(long id, int depth)
        {
            var (action, reverts) = known[id];
            if (action != AuditAction.Revert)
            {
                return action;
            }
            if (reverts is not { } r || !known.ContainsKey(r) || depth > 100)
            {
                return AuditAction.Update; // an orphaned revert can only be read as a change of the values it lists
            }
            return Effect(r, depth + 1) switch
            {
                AuditAction.Create => AuditAction.Delete,
                AuditAction.Delete => AuditAction.Create,
                _ => AuditAction.Update,
            };
        }
        return entries.ToDictionary(e => e.Id, e => Effect(e.Id, 0));
    }

    public static JsonElement? ToJson(object? value) =>
        value is null ? null : JsonSerializer.SerializeToElement(value, value.GetType(), Json);

    public static object? FromJson(JsonElement? value, Type type) =>
        value is not { } v || v.ValueKind == JsonValueKind.Null ? null : v.Deserialize(type, Json);

    public static string Serialize(IReadOnlyList<FieldChange> changes) => JsonSerializer.Serialize(changes, Json);

    public static IReadOnlyList<FieldChange> Deserialize(string json) =>
        JsonSerializer.Deserialize<List<FieldChange>>(json, Json) ?? [];

    /// <summary>Two JSON values hold the same value (the audit trail's notion of "unchanged since").</summary>
    public static bool SameValue(JsonElement? a, JsonElement? b) =>
        IsNullish(a) || IsNullish(b) ? IsNullish(a) && IsNullish(b) : JsonElement.DeepEquals(a!.Value, b!.Value);

    private static bool IsNullish(JsonElement? e) =>
        e is null || e.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
        || (e.Value.ValueKind == JsonValueKind.Array && e.Value.GetArrayLength() == 0);

    private static bool IsEmptyList(object value) => value is System.Collections.ICollection { Count: 0 };

    public static bool Audited(IProperty p) => !p.IsPrimaryKey() && !Derived.Contains(p.Name);
}
