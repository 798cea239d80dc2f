using AiLandscape.Tests.Features.Editing;
using AiLandscape.Tests.Features.Sources;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Events;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Events;

/// <summary>Company events (pivots, filings, listings) written through the audited writer, as the demo users.</summary>
public class EventEditTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("event_edit");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<EventRequest> NewRequestAsync()
    {
        var service = await _app.ServiceAsAsync<EventEditService>(EditingApp.Editor);
        var r = (await service.NewAsync("01-ai"))!.Request;
        r.OccurredOn = "2025-03";
        r.Kind = CompanyEventKind.Pivot;
        r.Title = "Builds on DeepSeek for gaming, law and finance";
        r.FocusBefore = "own foundation models";
        r.FocusAfter = "industry applications";
        return r;
    }

    [Fact]
    public async Task Adding_changing_and_deleting_an_event_is_audited_with_its_sources()
    {
        var service = await _app.ServiceAsAsync<EventEditService>(EditingApp.Editor);
        var r = await NewRequestAsync();
        r.Sources.Add(new SourceInput { Url = "https://example.com/01ai-pivot", Title = "01.AI pivots", PublishedOn = "2025-03-10" });

        var created = await service.SaveAsync(r);

        Assert.True(created.Succeeded, string.Join(" | ", created.Errors.Select(e => e.Message)));
        var id = created.Id!.Value;
        var create = await _app.LastEntryAsync(RecordType.CompanyEvent, id);
        Assert.Equal(AuditAction.Create, create.Action);
        Assert.Equal("Builds on DeepSeek for gaming, law and finance", create.Change("Title").New!.Value.GetString());
        Assert.Equal("Pivot", create.Change("Kind").New!.Value.GetString());
        await using (var db = _app.Db())
        {
            var ev = await db.CompanyEvents.AsNoTracking().FirstAsync(e => e.Id == id);
            Assert.Equal(new DateOnly(2025, 3, 1), ev.OccurredOn);
            Assert.Equal(DatePrecision.Month, ev.Precision);
            Assert.Equal(1, await db.Citations.CountAsync(c => c.RecordType == RecordType.CompanyEvent && c.RecordId == id));
        }

        var form = (await service.EditAsync(id))!;
        Assert.Single(form.Request.Sources);
        form.Request.Title = "Pivot to applications";
        form.Request.Sources.Clear();
        Assert.True((await service.SaveAsync(form.Request)).Succeeded);

        var update = await _app.LastEntryAsync(RecordType.CompanyEvent, id);
        Assert.Equal(AuditAction.Update, update.Action);
        Assert.Equal("Builds on DeepSeek for gaming, law and finance", update.Change("Title").Old!.Value.GetString());
        Assert.Equal("Pivot to applications", update.Change("Title").New!.Value.GetString());
        await using (var db = _app.Db())
        {
            Assert.Equal(0, await db.Citations.CountAsync(c => c.RecordType == RecordType.CompanyEvent && c.RecordId == id));
        }

        var again = (await service.EditAsync(id))!;
        Assert.True((await service.DeleteAsync(id, again.Request.Version)).Succeeded);
        var delete = await _app.LastEntryAsync(RecordType.CompanyEvent, id);
        Assert.Equal(AuditAction.Delete, delete.Action);
        Assert.Equal("Pivot to applications", delete.Change("Title").Old!.Value.GetString());
        await using (var db = _app.Db())
        {
            Assert.False(await db.CompanyEvents.AnyAsync(e => e.Id == id));
        }
    }

    public static TheoryData<string, string, string> Rules => new()
    {
        { "no date", nameof(EventRequest.OccurredOn), "Date is required" },
        { "future date", nameof(EventRequest.OccurredOn), "must not be in the future" },
        { "no title", nameof(EventRequest.Title), "Title is required" },
        { "long title", nameof(EventRequest.Title), "Title must be at most 200" },
        { "long summary", nameof(EventRequest.Summary), "Summary must be at most 4000" },
        { "long focus", nameof(EventRequest.FocusAfter), "Focus after must be at most 300" },
        { "bad new source", "Sources[0].Url", "New source 1: URL must be an absolute http" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Each_rule_refuses_with_a_message_naming_the_field_and_nothing_is_written(string rule, string field, string message)
    {
        var service = await _app.ServiceAsAsync<EventEditService>(EditingApp.Editor);
        var r = await NewRequestAsync();
        switch (rule)
        {
            case "no date": r.OccurredOn = null; break;
            case "future date": r.OccurredOn = DateTime.UtcNow.AddYears(1).ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture); break;
            case "no title": r.Title = ""; break;
            case "long title": r.Title = new string('t', 201); break;
            case "long summary": r.Summary = new string('s', 4001); break;
            case "long focus": r.FocusAfter = new string('f', 301); break;
            case "bad new source": r.Sources.Add(new SourceInput { Url = "ftp://example.com/x", Title = "x" }); break;
        }
        await using var before = _app.Db();
        var events = await before.CompanyEvents.CountAsync();
        var sources = await before.Sources.CountAsync();
        var audit = await _app.AuditCountAsync();

        AuditChecks.AssertInvalid(await service.SaveAsync(r), field, message);

        await using var after = _app.Db();
        Assert.Equal(events, await after.CompanyEvents.CountAsync());
        Assert.Equal(sources, await after.Sources.CountAsync());
        Assert.Equal(audit, await _app.AuditCountAsync());
    }

    [Fact]
    public async Task A_second_editor_saving_the_same_version_gets_a_conflict()
    {
        var service = await _app.ServiceAsAsync<EventEditService>(EditingApp.Editor);
        var id = (await service.SaveAsync(await NewRequestAsync())).Id!.Value;
        var mine = (await service.EditAsync(id))!.Request;
        var theirs = (await service.EditAsync(id))!.Request;

        theirs.Summary = "Their summary";
        Assert.True((await service.SaveAsync(theirs)).Succeeded);
        mine.Summary = "My summary";

        Assert.Equal(SaveStatus.Conflict, (await service.SaveAsync(mine)).Status);
        await using var db = _app.Db();
        Assert.Equal("Their summary", await db.CompanyEvents.Where(e => e.Id == id).Select(e => e.Summary).FirstAsync());
        mine.Overwrite = true;
        Assert.True((await service.SaveAsync(mine)).Succeeded);
    }

    [Fact]
    public async Task Only_editors_and_admins_may_save_or_delete()
    {
        var editor = await _app.ServiceAsAsync<EventEditService>(EditingApp.Editor);
        var existing = (await editor.SaveAsync(await NewRequestAsync())).Id!.Value;
        var version = (await editor.EditAsync(existing))!.Request.Version;
        foreach (var user in new[] { null, EditingApp.Analyst })
        {
            var service = await _app.ServiceAsAsync<EventEditService>(user);
            var request = await NewRequestAsync();
            await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(request));
            await Assert.ThrowsAsync<ForbiddenException>(() => service.DeleteAsync(existing, version));
        }
        foreach (var user in new[] { EditingApp.Editor, EditingApp.Admin })
        {
            var service = await _app.ServiceAsAsync<EventEditService>(user);
            var saved = await service.SaveAsync(await NewRequestAsync());
            Assert.True(saved.Succeeded, user);
            var form = await service.EditAsync(saved.Id!.Value);
            Assert.True((await service.DeleteAsync(saved.Id.Value, form!.Request.Version)).Succeeded, user);
        }
    }
}
