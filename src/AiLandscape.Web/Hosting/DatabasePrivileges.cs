using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AiLandscape.Web.Hosting;

/// <summary>
/// The owner connection (ConnectionStrings:AiLandscapeOwner, or the embedded cluster's superuser): migrations, the
/// seed dataset and the app role's grants run on it. Null: the app's own connection does all of that (one role).
/// </summary>
public sealed record DatabaseOwnerConnection(string? ConnectionString);

/// <summary>
/// What the app's role may do (ADR 0025), granted by the owner after every migration so that new tables are covered:
/// read and write the data tables; only read and append the audit trail (no UPDATE, DELETE or TRUNCATE: the app
/// cannot rewrite its own history); only read the migration and seed history and the kept history of the data
/// (ADR 0032); connect to the database, without creating schemas (ADR 0033). It owns no table,
/// creates no role, cannot alter the schema of <c>public</c>.
/// </summary>
public static class DatabasePrivileges
{
    /// <summary>Tables the app role may only read and append to.</summary>
    public static readonly IReadOnlyList<string> AppendOnly = ["audit_entries"];

    /// <summary>
    /// Tables the app role may only read: written by migrations and the seed loader, run as the owner, and the kept
    /// history, written by the owner's triggers (ADR 0032).
    /// </summary>
    public static readonly IReadOnlyList<string> ReadOnly =
        ["__EFMigrationsHistory", "seed_history", .. KeptHistory.Tables.Select(KeptHistory.HistoryOf)];

    private const long AdvisoryLockKey = 0x41494C_475241; // "AIL GRA": instances starting together grant in turn

    /// <summary>The user name of a connection string.</summary>
    public static string? RoleOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Username;

    /// <summary>Grants <paramref name="appRole"/> its privileges in the owner connection's database.</summary>
    public static async Task GrantAsync(string ownerConnectionString, string appRole, CancellationToken ct = default)
    {
        var role = Quote(appRole);
        var sql = $"""
            SELECT pg_advisory_xact_lock({AdvisoryLockKey});
            -- No CREATE (schemas) nor TEMPORARY of its own: as-of views no longer build copies (ADR 0033). TEMPORARY stays
            -- granted to PUBLIC by PostgreSQL's default; the app uses none.
            DO $$ BEGIN
                EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), {Literal(appRole)});
                EXECUTE format('REVOKE CREATE, TEMPORARY ON DATABASE %I FROM %I', current_database(), {Literal(appRole)});
            END $$;
            GRANT USAGE ON SCHEMA public TO {role};
            REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
            {string.Concat(AppendOnly.Select(t => $"REVOKE UPDATE, DELETE, TRUNCATE ON {Quote(t)} FROM {role};\n"))}
            {string.Concat(ReadOnly.Select(t => $"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {Quote(t)} FROM {role};\n"))}
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
            -- Before PostgreSQL 15 everyone may create tables in public; the owner of the schema takes that back.
            DO $$ BEGIN
                IF pg_has_role((SELECT nspowner FROM pg_namespace WHERE nspname = 'public'), 'USAGE') THEN
                    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
                END IF;
            END $$;
            """;
        await using var conn = new NpgsqlConnection(ownerConnectionString);
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand(sql, conn, tx))
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Whether the connection's role is a superuser or owns the audit trail (it could rewrite it).</summary>
    public static async Task<bool> IsPrivilegedAsync(AppDbContext db, CancellationToken ct) =>
        await db.Database.SqlQueryRaw<bool>("""
            SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                OR EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_entries'
                           AND tableowner = current_user) AS "Value"
            """).SingleAsync(ct);

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}

/// <summary>A context factory over fixed options: the owner's contexts for migrating and seeding.</summary>
internal sealed class FixedOptionsDbContextFactory(DbContextOptions<AppDbContext> options) : IDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext() => new(options);
}
