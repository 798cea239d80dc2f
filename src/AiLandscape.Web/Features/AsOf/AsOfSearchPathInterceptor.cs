using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace AiLandscape.Web.Features.AsOf;

/// <summary>
/// Puts a shared as-of copy's schema first on the search path of a reader context's connection each time it opens,
/// the first time and whenever EF reopens it (a retried query gets a fresh pooled connection, reset to the default
/// path). It then checks the copy is really first: PostgreSQL skips a schema that does not exist, and a reader must
/// fail rather than show today's tables as the past. Registered on every <c>AppDbContext</c>; contexts without a
/// copy are left alone.
/// </summary>
public sealed class AsOfSearchPathInterceptor : DbConnectionInterceptor
{
    private sealed class Reader(string copy, string rest)
    {
        public string Copy { get; } = copy;
        public string Path { get; } = AsOfDbContextFactory.Quote(copy) + ", " + rest;
        public bool Applied { get; set; }
    }

    private static readonly ConditionalWeakTable<DbContext, Reader> Readers = new();

    /// <summary>Marks the context as a reader of the copy; call before its connection opens.</summary>
    public static void Read(DbContext db, string copy, string restOfPath) => Readers.AddOrUpdate(db, new Reader(copy, restOfPath));

    /// <summary>Whether the path was set on the open connection (false: the interceptor is not registered).</summary>
    public static bool IsApplied(DbContext db) => Readers.TryGetValue(db, out var r) && r.Applied;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (eventData.Context is { } db && Readers.TryGetValue(db, out var reader))
        {
            using var batch = Batch(connection, reader);
            using var result = batch.ExecuteReader();
            Check(result, reader);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && Readers.TryGetValue(db, out var reader))
        {
            await using var batch = Batch(connection, reader);
            await using var result = await batch.ExecuteReaderAsync(cancellationToken);
            await result.NextResultAsync(cancellationToken);
            await result.ReadAsync(cancellationToken);
            Verify(result.IsDBNull(0) ? null : result.GetString(0), reader);
        }
    }

    private static NpgsqlBatch Batch(DbConnection connection, Reader reader) => new((NpgsqlConnection)connection)
    {
        BatchCommands =
        {
            new NpgsqlBatchCommand("SELECT set_config('search_path', $1, false)") { Parameters = { new() { Value = reader.Path } } },
            new NpgsqlBatchCommand("SELECT (current_schemas(false))[1]"),
        },
    };

    private static void Check(NpgsqlDataReader result, Reader reader)
    {
        result.NextResult();
        result.Read();
        Verify(result.IsDBNull(0) ? null : result.GetString(0), reader);
    }

    private static void Verify(string? first, Reader reader)
    {
        if (first != reader.Copy)
        {
            throw new InvalidOperationException(
                $"The as-of copy {reader.Copy} is missing (the search path starts with {first ?? "nothing"}); reload the page to rebuild it.");
        }
        reader.Applied = true;
    }
}
