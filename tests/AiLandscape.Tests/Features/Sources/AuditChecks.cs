using System.Text.Json;
using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.History;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Sources;

/// <summary>What the edit tests of valuations, events, models, sources and rates check in the audit trail.</summary>
public static class AuditChecks
{
    /// <summary>The newest audit entry of a record.</summary>
    public static async Task<AuditEntry> LastEntryAsync(this EditingApp app, RecordType type, int id)
    {
        await using var db = app.Db();
        var entry = await db.AuditEntries.AsNoTracking().Where(a => a.RecordType == type && a.RecordId == id)
            .OrderByDescending(a => a.Id).FirstOrDefaultAsync();
        Assert.True(entry is not null, $"No audit entry for {type} #{id}");
        return entry!;
    }

    /// <summary>The old and new value of one field in an entry's changes.</summary>
    public static (JsonElement? Old, JsonElement? New) Change(this AuditEntry entry, string field)
    {
        var change = AuditTrail.Deserialize(entry.Changes).FirstOrDefault(c => c.Field == field);
        Assert.True(change is not null, $"The audit entry does not record {field}: {entry.Changes}");
        return (change!.Old, change.New);
    }

    public static async Task<int> AuditCountAsync(this EditingApp app)
    {
        await using var db = app.Db();
        return await db.AuditEntries.CountAsync();
    }

    /// <summary>The result is Invalid with a message on the field that contains the text (and so names the rule).</summary>
    public static void AssertInvalid(SaveResult result, string field, string contains)
    {
        Assert.Equal(SaveStatus.Invalid, result.Status);
        var message = result.ErrorFor(field);
        Assert.True(message is not null, $"No error on {field}; errors: {string.Join(" | ", result.Errors.Select(e => $"{e.Field}: {e.Message}"))}");
        Assert.Contains(contains, message, StringComparison.OrdinalIgnoreCase);
    }

    public static string ThisMonth() => DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
