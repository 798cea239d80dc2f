using System.Text.Json;
using System.Text.Json.Nodes;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.History;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace AiLandscape.Web.Features.AsOf;

/// <summary>
/// The versions a database held before migration KeptHistory, rebuilt from its audit trail (ADR 0033). The migration
/// entered each row once, known since its last audit entry (<c>written_by</c> 0); this walks each such record's earlier
/// entries newest first and undoes them one by one, as the audit records them: a creation means absent before, a
/// change gives the fields their old values, a deletion brings the record back with the values it recorded (reverts
/// count as the opposite of what they revert). Columns the audit leaves out (the search text, stored figures, a round's
/// USD amount) keep the values of the version after. Records deleted before the migration have no history yet: they
/// come back from their deletion entry. Rebuilt versions are marked <c>written_by</c> 1, so a second run skips them.
/// </summary>
public static partial class HistoryFromAudit
{
    private const string Migrated = "'0'::xid8";
    private const string Rebuilt = "'1'::xid8";

    /// <summary>Rebuilds the earlier versions of every kept table; returns how many were written.</summary>
    public static async Task<int> RebuildAsync(AppDbContext db, CancellationToken ct = default)
    {
        var written = 0;
        foreach (var table in KeptHistory.Tables)
        {
            var entity = db.Model.GetEntityTypes().Single(t => t.BaseType is null && t.GetTableName() == table);
            if (AuditTrail.RecordTypeOf(entity.ClrType) is { } type)
            {
                written += await RebuildAsync(db, table, entity, type, ct);
            }
        }
        return written;
    }

    private sealed record Entry(long Id, int RecordId, string Action, string Changes, long? RevertsEntryId,
        DateTimeOffset At, string? Base, DateTimeOffset? Since);

    private static async Task<int> RebuildAsync(AppDbContext db, string table, IEntityType entity, RecordType type,
        CancellationToken ct)
    {
        var history = KeptHistory.HistoryOf(table);
        // The entries the migration summed up in one version (those up to its start), and those of records deleted
        // before it (no version at all); none of a record rebuilt already.
        // Table names from KeptHistory.Tables only.
        var select = $"""
            SELECT a.id AS id, a.record_id AS record_id, a.action AS action, a.changes::text AS changes,
                   a.reverts_entry_id AS reverts_entry_id, a.at AS at, m.base AS base, m.since AS since
            FROM audit_entries a
            LEFT JOIN LATERAL (
                SELECT (to_jsonb(h) - 'valid' - 'written_by')::text AS base, lower(h.valid) AS since
                FROM {history} h WHERE h.id = a.record_id AND h.written_by = {Migrated}) m ON TRUE
            WHERE a.record_type = @type
              AND NOT EXISTS (SELECT 1 FROM {history} h WHERE h.id = a.record_id AND h.written_by = {Rebuilt})
              AND CASE WHEN m.since IS NULL THEN NOT EXISTS (SELECT 1 FROM {history} h WHERE h.id = a.record_id)
                       ELSE m.since > '-infinity' AND a.at <= m.since END
            ORDER BY a.record_id, a.at DESC, a.id DESC
            """;
        var entries = await db.Database.SqlQueryRaw<Entry>(select, new NpgsqlParameter("type", type.ToString())).ToListAsync(ct);
        if (entries.Count == 0)
        {
            return 0;
        }
        var effects = await AuditTrail.EffectsAsync(db,
            entries.Select(e => (e.Id, Enum.Parse<AuditAction>(e.Action), e.RevertsEntryId)).ToList(), ct);
        var template = await TemplateAsync(db, table, entity, ct);

        var versions = new List<(DateTimeOffset? From, DateTimeOffset? Until, JsonObject Row)>();
        foreach (var record in entries.GroupBy(e => e.RecordId))
        {
            var first = record.First();
            // The newest known state and when it began: the migrated version, or absence after a deletion.
            var state = first.Base is null ? null : JsonNode.Parse(first.Base)!.AsObject();
            DateTimeOffset? until = first.Since;
            var isBase = state is not null;
            foreach (var e in record)
            {
                // Instants never run backwards, even if two instances' clocks disagreed on the entries' times.
                var at = until is { } u && e.At > u ? u : e.At;
                if (state is not null && !isBase && until != at)
                {
                    versions.Add((at, until, state));
                }
                isBase = false;
                state = Undo(effects[e.Id], state, AuditTrail.Deserialize(e.Changes), entity, template, record.Key);
                until = at;
            }
            if (state is not null)
            {
                versions.Add((null, until, state)); // as it was before its first entry: the seed's, known from the start
            }
        }

        var insert = $"""
            INSERT INTO {history}
            SELECT tstzrange(coalesce(v.since, '-infinity'), v.until), {Rebuilt}, r.*
            FROM unnest(@since, @until, @rows) AS v(since, until, row),
                 LATERAL jsonb_populate_record(NULL::{table}, v.row) r
            """;
        await db.Database.ExecuteSqlRawAsync(insert,
            [
                new NpgsqlParameter("since", versions.Select(v => v.From).ToArray()),
                new NpgsqlParameter("until", versions.Select(v => v.Until).ToArray()),
                new NpgsqlParameter("rows", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Jsonb)
                {
                    Value = versions.Select(v => v.Row.ToJsonString()).ToArray(),
                },
            ], ct);
        return versions.Count;
    }

    /// <summary>The record as it was before entry <paramref name="changes"/> was made.</summary>
    private static JsonObject? Undo(AuditAction effect, JsonObject? after, IReadOnlyList<Editing.FieldChange> changes,
        IEntityType entity, JsonObject template, int id)
    {
        switch (effect)
        {
            case AuditAction.Create:
                return null;
            case AuditAction.Update when after is null:
                return null; // an entry the trail cannot place (its record was absent): nothing to undo
            default:
                // A change: its fields' old values. A deletion: the record as the deletion recorded it.
                var before = (effect == AuditAction.Update ? after! : after ?? template).DeepClone().AsObject();
                before["id"] = id;
                foreach (var c in changes)
                {
                    if (entity.FindProperty(c.Field) is { } property && property.GetColumnName() is { } column)
                    {
                        before[column] = c.Old is { } old ? JsonNode.Parse(old.GetRawText()) : null;
                    }
                }
                return before;
        }
    }

    /// <summary>
    /// A row of the table with every NOT NULL column at its type's empty value (false, 0, '', an empty array, an enum's
    /// first name), for a record deleted before the migration: its deletion entry fills the columns it recorded.
    /// </summary>
    private static async Task<JsonObject> TemplateAsync(AppDbContext db, string table, IEntityType entity, CancellationToken ct)
    {
        var columns = await db.Database.SqlQueryRaw<ColumnInfo>("""
            SELECT column_name AS name, data_type AS type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = @t AND is_nullable = 'NO'
            """, new NpgsqlParameter("t", table)).ToListAsync(ct);
        var enums = entity.GetProperties().Concat(entity.GetComplexProperties().SelectMany(c => c.ComplexType.GetProperties()))
            .Where(p => (Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType).IsEnum)
            .ToDictionary(p => p.GetColumnName(), p => Enum.GetNames(Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType)[0]);
        var row = new JsonObject();
        foreach (var c in columns)
        {
            row[c.Name] = enums.TryGetValue(c.Name, out var name) ? JsonValue.Create(name) : c.Type switch
            {
                "boolean" => false,
                "integer" or "bigint" or "smallint" or "numeric" or "real" or "double precision" => 0,
                "ARRAY" => new JsonArray(),
                "jsonb" or "json" => new JsonObject(),
                "date" => "0001-01-01",
                "uuid" => Guid.Empty.ToString(),
                _ => "",
            };
        }
        return row;
    }

    private sealed record ColumnInfo(string Name, string Type);
}
