using System.Net;
using AiLandscape.Tests.Features.Accounts;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.History;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Editing;

/// <summary>Checks the edit-service tests share: audit entries, rows unchanged, pages refused over HTTP.</summary>
internal static class EditAssert
{
    /// <summary>The audit entries of one record, oldest first.</summary>
    public static async Task<List<AuditEntry>> EntriesAsync(EditingApp app, RecordType type, int id)
    {
        await using var db = app.Db();
        return await db.AuditEntries.AsNoTracking().Where(a => a.RecordType == type && a.RecordId == id)
            .OrderBy(a => a.Id).ToListAsync();
    }

    /// <summary>The field's change in an entry: fails when the entry does not mention it.</summary>
    public static FieldChange Change(AuditEntry entry, string field) =>
        AuditTrail.Deserialize(entry.Changes).SingleOrDefault(c => c.Field == field)
        ?? throw new Xunit.Sdk.XunitException($"the {entry.Action} entry of {entry.RecordType} {entry.RecordId} has no change of {field}: {entry.Changes}");

    public static string? Text(System.Text.Json.JsonElement? value) =>
        value is { ValueKind: System.Text.Json.JsonValueKind.String } v ? v.GetString() : value?.ToString();

    /// <summary>Row counts of the tables an edit could touch, to show that nothing was written.</summary>
    public static async Task<string> CountsAsync(EditingApp app)
    {
        await using var db = app.Db();
        return string.Join(", ",
            $"companies {await db.Companies.CountAsync()}", $"people {await db.People.CountAsync()}",
            $"roles {await db.CompanyRoles.CountAsync()}", $"investors {await db.Investors.CountAsync()}",
            $"sources {await db.Sources.CountAsync()}", $"citations {await db.Citations.CountAsync()}",
            $"audit {await db.AuditEntries.CountAsync()}");
    }

    /// <summary>The result is Invalid with an error about the field whose text contains <paramref name="words"/>.</summary>
    public static void InvalidAbout(SaveResult result, string field, string words)
    {
        Assert.Equal(SaveStatus.Invalid, result.Status);
        var message = result.ErrorFor(field);
        Assert.True(message is not null, $"no error for {field}; errors: {string.Join(" | ", result.Errors.Select(e => $"{e.Field}: {e.Message}"))}");
        Assert.Contains(words, message, StringComparison.Ordinal);
    }

    /// <summary>An edit page sends anonymous visitors to the login page and shows analysts "access denied".</summary>
    public static async Task PageIsForEditorsOnlyAsync(EditingApp app, string path)
    {
        using (var anonymous = AccountHttp.Client(app.App))
        {
            var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
            Assert.Contains("returnUrl=" + Uri.EscapeDataString(path), response.Headers.Location.Query, StringComparison.OrdinalIgnoreCase);
        }
        using (var analyst = AccountHttp.Client(app.App))
        {
            await AccountHttp.LoginOrFailAsync(analyst, EditingApp.Analyst);
            var response = await analyst.GetAsync(path);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Equal("/account/access-denied", response.Headers.Location!.AbsolutePath);
        }
        using (var editor = AccountHttp.Client(app.App))
        {
            await AccountHttp.LoginOrFailAsync(editor, EditingApp.Editor);
            var response = await editor.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // The form itself is rendered (not another page answering the same address).
            Assert.Contains("data-testid=\"edit-form\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
