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
/// the stored figures) and the row version are left out: they are not anybody's edit.
/// </summary>
public static class AuditTrail
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly HashSet<string> Derived = ["Version", "SearchText"];

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

    /// <summary>An entry's effect on its record: a revert re-creates (no old values), deletes (no new values) or changes it.</summary>
    public static AuditAction EffectOf(AuditAction action, IReadOnlyList<FieldChange> changes) => action switch
    {
        AuditAction.Revert when changes.All(c => c.Old is null) => AuditAction.Create,
        AuditAction.Revert when changes.All(c => c.New is null) => AuditAction.Delete,
        AuditAction.Revert => AuditAction.Update,
        _ => action,
    };

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
