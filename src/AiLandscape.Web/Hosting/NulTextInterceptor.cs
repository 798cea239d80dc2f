using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AiLandscape.Web.Hosting;

/// <summary>
/// PostgreSQL cannot hold a NUL character in text and fails the whole command when a parameter has one (a 500 for a
/// search of "a%00b", found by the fuzz test). No stored text can contain NUL, so removing it from a command's text
/// parameters changes no answer: a search or a sign-in name with one finds what it would without it. The audited
/// saves refuse such text with a message naming the field before it gets here (Features/Editing/TextRules).
/// </summary>
public sealed class NulTextInterceptor : DbCommandInterceptor
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
                string s when s.Contains('\0', StringComparison.Ordinal) => s.Replace("\0", "", StringComparison.Ordinal),
                string[] list when list.Any(s => s?.Contains('\0', StringComparison.Ordinal) == true) =>
                    list.Select(s => s?.Replace("\0", "", StringComparison.Ordinal)).ToArray(),
                List<string> list when list.Any(s => s?.Contains('\0', StringComparison.Ordinal) == true) =>
                    list.Select(s => s?.Replace("\0", "", StringComparison.Ordinal)).ToList(),
                var other => other,
            };
        }
    }
}
