using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AiLandscape.Tests.Features.AsOf;

/// <summary>Moves what a test wrote back in time, for views of the days between.</summary>
public static class KeptHistoryClock
{
    /// <summary>
    /// As if everything written after <paramref name="at"/> had been written at it: each bound of a kept version
    /// and each audit entry later than it moves to it (a version wholly after it becomes empty, as if replaced at once).
    /// Run as the owner: the app's role may rewrite neither.
    /// </summary>
    public static async Task BackdateAsync(EditingApp app, DateTimeOffset at)
    {
        var sql = string.Concat(KeptHistory.Tables.Select(t => $"""
            UPDATE {KeptHistory.HistoryOf(t)}
            SET valid = tstzrange(CASE WHEN lower(valid) > @at THEN @at ELSE lower(valid) END,
                                  CASE WHEN upper(valid) > @at THEN @at ELSE upper(valid) END)
            WHERE NOT isempty(valid) AND (lower(valid) > @at OR upper(valid) > @at);

            """)) + "UPDATE audit_entries SET at = @at WHERE at > @at;";
        await using var db = app.OwnerDb();
        await db.Database.ExecuteSqlRawAsync(sql, new NpgsqlParameter("at", at));
    }

    /// <summary>
    /// As if everything written so far had been written <paramref name="by"/> earlier: every bound of every kept
    /// version and every audit entry moves back by it (the start of time stays where it is). Run as the owner.
    /// </summary>
    public static async Task ShiftBackAsync(EditingApp app, TimeSpan by)
    {
        var sql = string.Concat(KeptHistory.Tables.Select(t => $"""
            UPDATE {KeptHistory.HistoryOf(t)} SET valid = tstzrange(lower(valid) - @by, upper(valid) - @by) WHERE NOT isempty(valid);

            """)) + "UPDATE audit_entries SET at = at - @by;";
        await using var db = app.OwnerDb();
        await db.Database.ExecuteSqlRawAsync(sql, new NpgsqlParameter("by", by));
    }
}
