using AiLandscape.Tests.Features.Editing;
using AiLandscape.Tests.Features.Sources;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Models;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Models;

/// <summary>Model releases written through the audited writer, as the demo users.</summary>
public class ModelEditTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("model_edit");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static int _n;

    private async Task<ModelRequest> NewRequestAsync()
    {
        var service = await _app.ServiceAsAsync<ModelEditService>(EditingApp.Editor);
        var r = (await service.NewAsync("deepseek"))!.Request;
        r.Name = $"DeepSeek-Test-{Interlocked.Increment(ref _n)}";
        r.ReleasedOn = "2025-01-20";
        r.OpenWeights = true;
        r.Licence = "MIT";
        r.Size = "671B total / 37B active";
        r.Modality = "text";
        return r;
    }

    [Fact]
    public async Task Adding_changing_and_deleting_a_model_release_is_audited()
    {
        var service = await _app.ServiceAsAsync<ModelEditService>(EditingApp.Editor);
        var r = await NewRequestAsync();
        await using (var db = _app.Db())
        {
            r.Sources.Add(new SourceInput { SourceId = await db.Sources.OrderBy(s => s.Id).Select(s => s.Id).FirstAsync() });
        }

        var created = await service.SaveAsync(r);

        Assert.True(created.Succeeded, string.Join(" | ", created.Errors.Select(e => e.Message)));
        var id = created.Id!.Value;
        var create = await _app.LastEntryAsync(RecordType.ModelRelease, id);
        Assert.Equal(AuditAction.Create, create.Action);
        Assert.Equal(r.Name, create.Change("Name").New!.Value.GetString());
        Assert.True(create.Change("OpenWeights").New!.Value.GetBoolean());

        var form = (await service.EditAsync(id))!;
        Assert.Equal("2025-01-20", form.Request.ReleasedOn);
        Assert.True(form.Request.OpenWeights);
        form.Request.OpenWeights = null; // unknown: no source says
        form.Request.ReleasedOn = "";
        Assert.True((await service.SaveAsync(form.Request)).Succeeded);

        var update = await _app.LastEntryAsync(RecordType.ModelRelease, id);
        Assert.Equal(AuditAction.Update, update.Action);
        var (oldOpen, newOpen) = update.Change("OpenWeights");
        Assert.True(oldOpen!.Value.GetBoolean());
        Assert.True(newOpen is null || newOpen.Value.ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.Equal("2025-01-20", update.Change("ReleasedOn").Old!.Value.GetString());
        await using (var db = _app.Db())
        {
            var model = await db.ModelReleases.AsNoTracking().FirstAsync(m => m.Id == id);
            Assert.Null(model.OpenWeights);
            Assert.Null(model.ReleasedOn);
        }

        var again = (await service.EditAsync(id))!;
        Assert.True((await service.DeleteAsync(id, again.Request.Version)).Succeeded);
        Assert.Equal(AuditAction.Delete, (await _app.LastEntryAsync(RecordType.ModelRelease, id)).Action);
        await using (var db = _app.Db())
        {
            Assert.False(await db.ModelReleases.AnyAsync(m => m.Id == id));
            Assert.False(await db.Citations.AnyAsync(c => c.RecordType == RecordType.ModelRelease && c.RecordId == id));
        }
    }

    [Fact]
    public async Task A_second_model_with_the_same_name_asks_for_confirmation()
    {
        var service = await _app.ServiceAsAsync<ModelEditService>(EditingApp.Editor);
        var first = await NewRequestAsync();
        Assert.True((await service.SaveAsync(first)).Succeeded);
        var twin = await NewRequestAsync();
        twin.Name = first.Name!.ToUpperInvariant();

        var asked = await service.SaveAsync(twin);

        Assert.Equal(SaveStatus.NeedsConfirmation, asked.Status);
        Assert.Contains("already has a model named", asked.Warnings.Single().Message, StringComparison.Ordinal);
        twin.Confirmed = true;
        Assert.True((await service.SaveAsync(twin)).Succeeded);
    }

    public static TheoryData<string, string, string> Rules => new()
    {
        { "no name", nameof(ModelRequest.Name), "Name is required" },
        { "long name", nameof(ModelRequest.Name), "Name must be at most 200" },
        { "bad date", nameof(ModelRequest.ReleasedOn), "Released must be a date written" },
        { "future date", nameof(ModelRequest.ReleasedOn), "Released must not be in the future" },
        { "long licence", nameof(ModelRequest.Licence), "Licence must be at most 200" },
        { "long size", nameof(ModelRequest.Size), "Size must be at most 100" },
        { "long modality", nameof(ModelRequest.Modality), "Modality must be at most 100" },
        { "long summary", nameof(ModelRequest.Summary), "Summary must be at most 4000" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Each_rule_refuses_with_a_message_naming_the_field_and_nothing_is_written(string rule, string field, string message)
    {
        var service = await _app.ServiceAsAsync<ModelEditService>(EditingApp.Editor);
        var r = await NewRequestAsync();
        switch (rule)
        {
            case "no name": r.Name = null; break;
            case "long name": r.Name = new string('n', 201); break;
            case "bad date": r.ReleasedOn = "20 Jan 2025"; break;
            case "future date": r.ReleasedOn = DateTime.UtcNow.AddMonths(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture); break;
            case "long licence": r.Licence = new string('l', 201); break;
            case "long size": r.Size = new string('s', 101); break;
            case "long modality": r.Modality = new string('m', 101); break;
            case "long summary": r.Summary = new string('s', 4001); break;
        }
        await using var before = _app.Db();
        var models = await before.ModelReleases.CountAsync();
        var audit = await _app.AuditCountAsync();

        AuditChecks.AssertInvalid(await service.SaveAsync(r), field, message);

        await using var after = _app.Db();
        Assert.Equal(models, await after.ModelReleases.CountAsync());
        Assert.Equal(audit, await _app.AuditCountAsync());
    }

    [Fact]
    public async Task A_second_editor_saving_the_same_version_gets_a_conflict()
    {
        var service = await _app.ServiceAsAsync<ModelEditService>(EditingApp.Editor);
        var id = (await service.SaveAsync(await NewRequestAsync())).Id!.Value;
        var mine = (await service.EditAsync(id))!.Request;
        var theirs = (await service.EditAsync(id))!.Request;

        theirs.Licence = "Apache-2.0";
        Assert.True((await service.SaveAsync(theirs)).Succeeded);
        mine.Licence = "custom";

        Assert.Equal(SaveStatus.Conflict, (await service.SaveAsync(mine)).Status);
        await using var db = _app.Db();
        Assert.Equal("Apache-2.0", await db.ModelReleases.Where(m => m.Id == id).Select(m => m.Licence).FirstAsync());
    }

    [Fact]
    public async Task Only_editors_and_admins_may_save_or_delete()
    {
        var editor = await _app.ServiceAsAsync<ModelEditService>(EditingApp.Editor);
        var existing = (await editor.SaveAsync(await NewRequestAsync())).Id!.Value;
        var version = (await editor.EditAsync(existing))!.Request.Version;
        foreach (var user in new[] { null, EditingApp.Analyst })
        {
            var service = await _app.ServiceAsAsync<ModelEditService>(user);
            var request = await NewRequestAsync();
            await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(request));
            await Assert.ThrowsAsync<ForbiddenException>(() => service.DeleteAsync(existing, version));
        }
        foreach (var user in new[] { EditingApp.Editor, EditingApp.Admin })
        {
            var service = await _app.ServiceAsAsync<ModelEditService>(user);
            var saved = await service.SaveAsync(await NewRequestAsync());
            Assert.True(saved.Succeeded, user);
            var form = await service.EditAsync(saved.Id!.Value);
            Assert.True((await service.DeleteAsync(saved.Id.Value, form!.Request.Version)).Succeeded, user);
        }
    }
}
