using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace AiLandscape.Web.Hosting;

/// <summary>
/// The app's execution strategy: Npgsql's retrying one (a transient failure such as a dropped connection or a
/// failover is retried), except inside <see cref="StreamRows"/>. While a strategy may retry, EF reads a query's whole
/// result into memory before it hands out the first row (a retry must not repeat rows already handed out), which is
/// right for a page but not for a download of every round. Inside <see cref="StreamRows"/> queries read row by row:
/// opening the reader is still retried, and a failure halfway through ends the download with an error.
/// </summary>
public sealed class AppExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(dependencies)
{
    private static readonly AsyncLocal<bool> Streaming = new();

    public override bool RetriesOnFailure => !Streaming.Value && base.RetriesOnFailure;

    /// <summary>Queries run until the returned scope is disposed stream their rows (see the class summary).</summary>
    public static IDisposable StreamRows()
    {
        var before = Streaming.Value;
        Streaming.Value = true;
        return new Scope(before);
    }

    private sealed class Scope(bool before) : IDisposable
    {
        public void Dispose() => Streaming.Value = before;
    }
}
