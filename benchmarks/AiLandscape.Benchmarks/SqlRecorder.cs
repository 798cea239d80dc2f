using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace AiLandscape.Benchmarks;

/// <summary>One SQL command as EF Core sent it, with copies of its parameters, for EXPLAIN.</summary>
public sealed record RecordedCommand(string Sql, IReadOnlyList<NpgsqlParameter> Parameters);

/// <summary>
/// Counts the SQL commands EF Core sends (every reader, scalar and non-query) and, when asked, keeps each one so
/// that its plan can be taken afterwards. The benchmark runs one case at a time, so one counter serves.
/// </summary>
public sealed class SqlRecorder : DbCommandInterceptor
{
    private int _count;
    private List<RecordedCommand>? _kept;

    public int Count => Volatile.Read(ref _count);

    public void Reset(bool keep = false)
    {
        Interlocked.Exchange(ref _count, 0);
        _kept = keep ? [] : null;
    }

    /// <summary>The commands since the last <see cref="Reset"/> with <c>keep</c> set.</summary>
    public IReadOnlyList<RecordedCommand> Kept => _kept ?? [];

    private void Saw(DbCommand command)
    {
        Interlocked.Increment(ref _count);
        _kept?.Add(new RecordedCommand(command.CommandText,
            command.Parameters.OfType<NpgsqlParameter>().Select(p => p.Clone()).ToList()));
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result)
    {
        Saw(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command,
        CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Saw(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result)
    {
        Saw(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command,
        CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Saw(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result)
    {
        Saw(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command,
        CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saw(command);
        return ValueTask.FromResult(result);
    }
}
