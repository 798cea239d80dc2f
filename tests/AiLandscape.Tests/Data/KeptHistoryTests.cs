using AiLandscape.Web.Data;
using CsCheck;
using Npgsql;

namespace AiLandscape.Tests.Data;

/// <summary>
/// The kept history (ADR 0032): for random sequences of transactions that insert, edit (once or twice) and delete
/// rows, some committed and some rolled back, the versions valid at any instant are exactly what the table held then.
/// </summary>
public class KeptHistoryTests
{
    /// <summary>One statement of a transaction: what it does and which of the test's own rows it picks.</summary>
    public sealed record Op(int Kind, int Pick, string Text)
    {
        public override string ToString() => $"{Names[Kind]} #{Pick} '{Text}'";
        private static readonly string[] Names = ["insert source", "edit source", "delete source", "insert label", "edit label", "delete label"];
    }

    public sealed record Tx(Op[] Ops, bool Commit)
    {
        public override string ToString() => $"{(Commit ? "commit" : "roll back")} [{string.Join("; ", Ops.Select(o => o.ToString()))}]";
    }

    private static readonly Gen<Op> AnOp =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 9], Gen.String[Gen.Char.AlphaNumeric, 1, 12], (k, p, t) => new Op(k, p, t));

    private static readonly Gen<Tx[]> Sequences =
        Gen.Select(AnOp.Array[1, 4], Gen.Int[0, 4], (ops, c) => new Tx(ops, c != 0)).Array[1, 8];

    [Fact]
    public async Task The_versions_valid_at_any_instant_are_what_the_table_held_then()
    {
        var connection = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("kept_history");
        await Sequences.SampleAsync(txs => CheckAsync(connection, txs), iter: 60, threads: 1);
    }

    [Fact]
    public async Task The_property_catches_a_trigger_that_forgets_to_end_a_deleted_rows_version()
    {
        var connection = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("kept_history_broken");
        await using (var conn = new NpgsqlConnection(connection))
        {
            await conn.OpenAsync();
            // Deletes no longer touch the history: the deleted source still looks current afterwards.
            await using var cmd = new NpgsqlCommand("DROP TRIGGER keep_history_of_deletes ON sources", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        // The database outlives each sample, so once a deleted source stays "current" every later sample fails too:
        // what counts is that the property finds a wrong past (a mismatch), not which sample it shrinks to.
        var e = await Assert.ThrowsAsync<CsCheckException>(() =>
            Sequences.SampleAsync(txs => CheckAsync(connection, txs), iter: 200, threads: 1));
        Assert.IsType<Xunit.Sdk.EqualException>(e.InnerException);
    }

    /// <summary>
    /// A migration that adds a column to a tracked table must add it to the history too, in the same place: the
    /// triggers copy rows by position. This names the table and the columns that differ.
    /// </summary>
    [Fact]
    public async Task Every_tracked_table_has_a_history_with_its_columns_and_its_three_triggers()
    {
        // A copy, never the template itself: CREATE DATABASE from a template refuses while anyone is connected to it.
        await using var conn = new NpgsqlConnection(await (await TestPostgres.GetAsync()).CreateDatabaseAsync("kept_history_schema"));
        await conn.OpenAsync();
        const string columns = """
            SELECT coalesce(string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum), '')
            FROM pg_attribute WHERE attrelid = @t::regclass AND attnum > 0 AND NOT attisdropped
            """;
        foreach (var table in KeptHistory.Tables)
        {
            var live = await ScalarAsync<string>(conn, columns, ("t", table));
            var history = await ScalarAsync<string>(conn, columns, ("t", KeptHistory.HistoryOf(table)));
            Assert.Equal($"valid tstzrange, written_by xid8, {live}", history);
            var triggers = await ScalarAsync<long>(conn,
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = @t::regclass AND tgname LIKE 'keep\\_history\\_of\\_%' AND tgenabled = 'O'", ("t", table));
            Assert.True(triggers == 3, $"{table} has {triggers} of its 3 history triggers");
        }
    }

    private static async Task CheckAsync(string connectionString, Tx[] txs)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var mine = new Dictionary<string, List<int>> { ["sources"] = [], ["round_label_mappings"] = [] };
        var seen = new List<(DateTime At, string Sources, string Labels)> { (await ScalarAsync<DateTime>(conn, "SELECT clock_timestamp()"), await DumpAsync(conn, "sources"), await DumpAsync(conn, "round_label_mappings")) };
        foreach (var tx in txs)
        {
            await using var t = await conn.BeginTransactionAsync();
            var start = await ScalarAsync<DateTime>(conn, "SELECT transaction_timestamp()");
            var added = new Dictionary<string, List<int>> { ["sources"] = [], ["round_label_mappings"] = [] };
            foreach (var op in tx.Ops)
            {
                await RunAsync(conn, op, mine, added);
            }
            if (tx.Commit)
            {
                await t.CommitAsync();
                foreach (var (table, ids) in added)
                {
                    mine[table].AddRange(ids);
                }
                seen.Add((start, await DumpAsync(conn, "sources"), await DumpAsync(conn, "round_label_mappings")));
            }
            else
            {
                await t.RollbackAsync();
                foreach (var (table, ids) in added)
                {
                    mine[table].RemoveAll(ids.Contains);
                }
            }
        }
        // Each state from the start of the transaction that made it until just before the next one started.
        for (var i = 0; i < seen.Count; i++)
        {
            var instants = new List<DateTime> { seen[i].At };
            if (i + 1 < seen.Count)
            {
                instants.Add(seen[i + 1].At.AddTicks(-10)); // one microsecond before
            }
            foreach (var at in instants)
            {
                Assert.Equal(seen[i].Sources, await DumpAsync(conn, "sources", at));
                Assert.Equal(seen[i].Labels, await DumpAsync(conn, "round_label_mappings", at));
            }
        }
        Assert.Equal(seen[^1].Sources, await DumpAsync(conn, "sources", DateTime.UtcNow.AddDays(1)));
    }

    private static async Task RunAsync(NpgsqlConnection conn, Op op, Dictionary<string, List<int>> mine, Dictionary<string, List<int>> added)
    {
        var table = op.Kind < 3 ? "sources" : "round_label_mappings";
        var live = mine[table].Concat(added[table]).ToList();
        var unique = $"{op.Text}-{Guid.NewGuid():N}";
        switch (op.Kind % 3)
        {
            case 0:
                var id = table == "sources"
                    ? await ScalarAsync<int>(conn, "INSERT INTO sources (url, title, publisher, published_precision, published_on_is_inferred, kind) " +
                                                  "VALUES (@u, @t, 'property test', 'Day', false, 'Other') RETURNING id", ("u", $"https://history.example/{unique}"), ("t", op.Text))
                    : await ScalarAsync<int>(conn, "INSERT INTO round_label_mappings (label, normalized_label, stage) VALUES (@t, @u, 'Seed') RETURNING id",
                        ("t", op.Text), ("u", unique));
                added[table].Add(id);
                break;
            case 1 when live.Count > 0:
                await ScalarAsync<int>(conn, table == "sources"
                    ? "UPDATE sources SET title = @t, publisher = publisher || '+' WHERE id = @id RETURNING id"
                    : "UPDATE round_label_mappings SET notes = @t WHERE id = @id RETURNING id", ("t", op.Text), ("id", live[op.Pick % live.Count]));
                break;
            case 2 when live.Count > 0:
                var gone = live[op.Pick % live.Count];
                await ScalarAsync<int>(conn, $"DELETE FROM {table} WHERE id = @id RETURNING id", ("id", gone));
                mine[table].Remove(gone);
                added[table].Remove(gone);
                break;
        }
    }

    /// <summary>The table now, or its versions valid at an instant, as one JSON text in id order.</summary>
    private static Task<string> DumpAsync(NpgsqlConnection conn, string table, DateTime? at = null) =>
        ScalarAsync<string>(conn, at is null
            ? $"SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.id), '[]')::text FROM {table} x"
            : $"SELECT coalesce(jsonb_agg(to_jsonb(h) - 'valid' - 'written_by' ORDER BY h.id), '[]')::text FROM {KeptHistory.HistoryOf(table)} h WHERE h.valid @> @at",
            ("at", (object?)at ?? DBNull.Value));

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value is DateTime d ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : value);
        }
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
