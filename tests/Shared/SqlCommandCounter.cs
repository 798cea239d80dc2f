using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AiLandscape.TestSupport;

/// <summary>Counts the SQL commands EF sends, to prove a page's cost does not grow with its data.</summary>
public sealed class SqlCommandCounter : DbCommandInterceptor
{
    private int _count;
    public int Count => _count;

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command,
        CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command,
        CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    public void Reset() => Interlocked.Exchange(ref _count, 0);
}
