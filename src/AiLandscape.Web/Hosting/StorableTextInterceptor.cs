using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AiLandscape.Web.Hosting;

/// <summary>
/// PostgreSQL cannot hold a NUL character in text and fails the whole command when a parameter has one (a 500 for a
/// search of "a%00b", found by the fuzz test); Npgsql refuses to encode broken UTF-16 (a lone surrogate, which a
/// Blazor circuit's search box can pass on: an exception in the circuit, found by the form fuzz test). No stored text
/// can contain either, so removing NUL and reading a lone surrogate as U+FFFD, as any UTF-8 round trip does, changes no
/// answer: a search or a sign-in name with one finds what it would without it. The audited saves refuse such text
/// with a message naming the field before it gets here (Features/Editing/TextRules).
/// </summary>
public sealed class StorableTextInterceptor : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Strip(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Strip(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Strip(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Strip(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Strip(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Strip(command);
        return ValueTask.FromResult(result);
    }

    private static void Strip(DbCommand command)
    {
        foreach (DbParameter parameter in command.Parameters)
        {
            parameter.Value = parameter.Value switch
            {
                string s when Unstorable(s) => Storable(s),
                string[] list when list.Any(Unstorable) => list.Select(s => s is null ? null : Storable(s)).ToArray(),
                List<string> list when list.Any(Unstorable) => list.Select(s => s is null ? null : Storable(s)).ToList(),
                var other => other,
            };
        }
    }

    private static bool Unstorable(string? s) =>
        s is not null && (s.Contains('\0', StringComparison.Ordinal) || s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0);

    private static string Storable(string s) => Features.Editing.TextRules.WellFormed(s.Replace("\0", "", StringComparison.Ordinal));
}
