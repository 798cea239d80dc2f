using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.People;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.People;

public class PersonEditTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("person_edit");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<int> CompanyIdAsync(string slug)
    {
        await using var db = _app.Db();
        return await db.Companies.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync();
    }

    private async Task<PersonRequest> NewRequestAsync(PersonEditService service)
    {
        var r = (await service.NewFormAsync("moonshot-ai")).Request;
        r.NameEn = "Test Person";
        r.NameZh = "测试";
        r.Pinyin = "Ce Shi";
        r.Slug = "test-person";
        r.BirthYear = 1990;
        r.Bio = "A test person.";
        r.Roles[0].Kind = PersonRoleKind.Executive;
        r.Roles[0].Title = "Chief scientist";
        r.Roles[0].StartedOn = "2024-05";
        return r;
    }

    [Fact]
    public async Task The_new_form_with_a_company_fills_in_one_role_there()
    {
        var service = await _app.ServiceAsAsync<PersonEditService>(EditingApp.Editor);

        var withCompany = await service.NewFormAsync("moonshot-ai");
        var unknown = await service.NewFormAsync("no-such-company");

        var role = Assert.Single(withCompany.Request.Roles);
        Assert.Equal(await CompanyIdAsync("moonshot-ai"), role.CompanyId);
        Assert.Equal("Moonshot AI", role.CompanyName);
        Assert.Equal("moonshot-ai", role.CompanySlug);
        Assert.Empty(unknown.Request.Roles);
    }

    [Fact]
    public async Task Creating_a_person_stores_their_roles_and_audits_each_on_the_company_history()
    {
        var service = await _app.ServiceAsAsync<PersonEditService>(EditingApp.Editor);
        var moonshot = await CompanyIdAsync("moonshot-ai");

        var result = await service.SaveAsync(await NewRequestAsync(service));

        Assert.Equal(SaveStatus.Saved, result.Status);
        Assert.Equal("test-person", result.Slug);
        await using var db = _app.Db();
        var person = await db.People.AsNoTracking().Include(p => p.Roles).SingleAsync(p => p.Slug == "test-person");
        var role = Assert.Single(person.Roles);
        Assert.Equal((moonshot, PersonRoleKind.Executive, "Chief scientist", new DateOnly(2024, 5, 1)),
            (role.CompanyId, role.Kind, role.Title, role.StartedOn!.Value));

        var entry = Assert.Single(await EditAssert.EntriesAsync(_app, RecordType.Person, person.Id));
        Assert.Equal(AuditAction.Create, entry.Action);
        Assert.Equal(moonshot, entry.CompanyId);
        Assert.Equal("Added Test Person (Executive of Moonshot AI)", entry.Summary);
        Assert.Equal("1990", EditAssert.Text(EditAssert.Change(entry, "BirthYear").New));
        Assert.Equal("Ce Shi", person.Pinyin);
        Assert.Equal("Ce Shi", EditAssert.Text(EditAssert.Change(entry, "Pinyin").New));
        var roleEntry = Assert.Single(await EditAssert.EntriesAsync(_app, RecordType.CompanyRole, role.Id));
        Assert.Equal(AuditAction.Create, roleEntry.Action);
        Assert.Equal(moonshot, roleEntry.CompanyId);
        Assert.Equal("Chief scientist", EditAssert.Text(EditAssert.Change(roleEntry, "Title").New));
    }

    [Fact]
    public async Task Updating_a_person_audits_changed_fields_and_roles_added_changed_and_removed()
    {
        var service = await _app.ServiceAsAsync<PersonEditService>(EditingApp.Admin);
        var form = (await service.EditAsync("yang-zhilin"))!.Request;
        Assert.True(form.Roles.Count >= 2, "the seed gives Yang Zhilin two roles at Moonshot AI");
        var changed = form.Roles[0];
        var removed = form.Roles[1];
        form.Roles.Remove(removed);
        var oldTitle = changed.Title;
        changed.Title = "Founder and chief executive";
        form.Bio = "Changed bio.";
        form.Roles.Add(new RoleInput { CompanyId = await CompanyIdAsync("deepseek"), CompanyName = "DeepSeek", Kind = PersonRoleKind.Executive, StartedOn = "2026-01-05" });

        var result = await service.SaveAsync(form);

        Assert.Equal(SaveStatus.Saved, result.Status);
        var entry = Assert.Single(await EditAssert.EntriesAsync(_app, RecordType.Person, form.Id!.Value));
        Assert.Equal(AuditAction.Update, entry.Action);
        Assert.Equal("Changed bio.", EditAssert.Text(EditAssert.Change(entry, "Bio").New));
        Assert.Equal("Co-founder and CEO of Moonshot AI.", EditAssert.Text(EditAssert.Change(entry, "Bio").Old));
        var titleChange = EditAssert.Change(Assert.Single(await EditAssert.EntriesAsync(_app, RecordType.CompanyRole, changed.Id!.Value)), "Title");
        Assert.Equal(oldTitle, EditAssert.Text(titleChange.Old));
        Assert.Equal("Founder and chief executive", EditAssert.Text(titleChange.New));
        Assert.Equal(AuditAction.Delete, Assert.Single(await EditAssert.EntriesAsync(_app, RecordType.CompanyRole, removed.Id!.Value)).Action);
        await using var db = _app.Db();
        var added = await db.CompanyRoles.SingleAsync(x => x.PersonId == form.Id && x.Company.Slug == "deepseek");
        Assert.Equal(AuditAction.Create, Assert.Single(await EditAssert.EntriesAsync(_app, RecordType.CompanyRole, added.Id)).Action);
        Assert.Equal(2, await db.CompanyRoles.CountAsync(x => x.PersonId == form.Id));
    }

    [Fact]
    public async Task Deleting_a_person_removes_and_audits_their_roles()
    {
        var service = await _app.ServiceAsAsync<PersonEditService>(EditingApp.Editor);
        var form = (await service.EditAsync("yang-zhilin"))!.Request;

        var result = await service.DeleteAsync(form.Id!.Value, form.Version);

        Assert.Equal(SaveStatus.Saved, result.Status);
        await using var db = _app.Db();
        Assert.False(await db.People.AnyAsync(p => p.Id == form.Id));
        Assert.False(await db.CompanyRoles.AnyAsync(x => x.PersonId == form.Id));
        var entry = Assert.Single(await EditAssert.EntriesAsync(_app, RecordType.Person, form.Id.Value));
        Assert.Equal(AuditAction.Delete, entry.Action);
        Assert.Equal("Yang Zhilin", EditAssert.Text(EditAssert.Change(entry, "NameEn").Old));
        foreach (var role in form.Roles)
        {
            var roleEntry = Assert.Single(await EditAssert.EntriesAsync(_app, RecordType.CompanyRole, role.Id!.Value));
            Assert.Equal(AuditAction.Delete, roleEntry.Action);
            Assert.Equal(entry.ChangeSetId, roleEntry.ChangeSetId);
        }
    }

    public static TheoryData<string, string, string> InvalidCases => new()
    {
        { "no-name", nameof(PersonRequest.NameEn), "English name is required" },
        { "bad-slug", nameof(PersonRequest.Slug), "Slug must be URL-safe" },
        { "born-1899", nameof(PersonRequest.BirthYear), "Birth year must be between 1900 and" },
        { "born-next-year", nameof(PersonRequest.BirthYear), "Birth year must be between 1900 and" },
        { "long-bio", nameof(PersonRequest.Bio), "Bio must be at most 4000 characters" },
        { "long-pinyin", nameof(PersonRequest.Pinyin), "Pinyin must be at most 200 characters" },
        { "control-pinyin", nameof(PersonRequest.Pinyin), "Pinyin must not contain control or text-direction characters" },
        { "no-company", "Roles[1].Company", "Role 2: company is required" },
        { "twice", "Roles[1].Kind", "Role 2: Founder at Moonshot AI is listed twice" },
        { "bad-started", "Roles[0].StartedOn", "Role 1: started must be a date written" },
        { "ended-before-started", "Roles[0].EndedOn", "Role 1: ended must not be before started" },
        { "long-title", "Roles[0].Title", "Role 1: title must be at most 200 characters" },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public async Task An_invalid_person_is_refused_with_a_message_naming_the_field_and_nothing_is_written(string @case, string field, string message)
    {
        var service = await _app.ServiceAsAsync<PersonEditService>(EditingApp.Editor);
        var r = await NewRequestAsync(service);
        var role = r.Roles[0];
        switch (@case)
        {
            case "no-name": r.NameEn = ""; break;
            case "bad-slug": r.Slug = "test_person"; break;
            case "born-1899": r.BirthYear = 1899; break;
            case "born-next-year": r.BirthYear = DateTime.UtcNow.Year + 1; break;
            case "long-bio": r.Bio = new string('b', 4001); break;
            case "long-pinyin": r.Pinyin = new string('p', 201); break;
            case "control-pinyin": r.Pinyin = "Ce\u202eShi"; break;
            case "no-company": r.Roles.Add(new RoleInput { Kind = PersonRoleKind.Ceo }); break;
            case "twice":
                role.Kind = PersonRoleKind.Founder;
                r.Roles.Add(new RoleInput { CompanyId = role.CompanyId, CompanyName = role.CompanyName, Kind = PersonRoleKind.Founder });
                break;
            case "bad-started": role.StartedOn = "spring 2024"; break;
            case "ended-before-started": role.EndedOn = "2024-01"; break;
            case "long-title": role.Title = new string('t', 201); break;
        }
        var before = await EditAssert.CountsAsync(_app);

        var result = await service.SaveAsync(r);

        EditAssert.InvalidAbout(result, field, message);
        Assert.Equal(before, await EditAssert.CountsAsync(_app));
    }

    [Fact]
    public async Task The_form_loads_the_pinyin_and_a_changed_pinyin_is_saved_audited_and_found_by_the_search()
    {
        var service = await _app.ServiceAsAsync<PersonEditService>(EditingApp.Editor);
        var form = (await service.EditAsync("kai-fu-lee"))!.Request;
        Assert.Equal("Li Kaifu", form.Pinyin);
        form.Pinyin = "  Lǐ Kāifù  ";

        Assert.Equal(SaveStatus.Saved, (await service.SaveAsync(form)).Status);

        var entry = Assert.Single(await EditAssert.EntriesAsync(_app, RecordType.Person, form.Id!.Value));
        var change = EditAssert.Change(entry, "Pinyin");
        Assert.Equal(("Li Kaifu", "Lǐ Kāifù"), (EditAssert.Text(change.Old), EditAssert.Text(change.New))); // trimmed
        var people = await _app.ServiceAsAsync<PersonService>(null);
        Assert.Equal("kai-fu-lee", Assert.Single((await people.ListAsync(new PersonQuery { Search = "li kaifu" })).Items).Slug);

        form = (await service.EditAsync("kai-fu-lee"))!.Request;
        form.Pinyin = " ";
        Assert.Equal(SaveStatus.Saved, (await service.SaveAsync(form)).Status);
        await using var db = _app.Db();
        Assert.Null(await db.People.Where(p => p.Slug == "kai-fu-lee").Select(p => p.Pinyin).SingleAsync()); // blank is none
        Assert.Empty((await people.ListAsync(new PersonQuery { Search = "likaifu" })).Items);
    }

    [Fact]
    public async Task An_ended_date_in_the_month_started_is_not_before_it()
    {
        var service = await _app.ServiceAsAsync<PersonEditService>(EditingApp.Editor);
        var r = await NewRequestAsync(service);
        r.Roles[0].EndedOn = "2024-05-20";

        Assert.Equal(SaveStatus.Saved, (await service.SaveAsync(r)).Status);
    }

    [Fact]
    public async Task A_slug_in_use_is_refused_naming_the_person_who_has_it()
    {
        var service = await _app.ServiceAsAsync<PersonEditService>(EditingApp.Editor);
        var r = await NewRequestAsync(service);
        r.Slug = "yang-zhilin";
        var before = await EditAssert.CountsAsync(_app);

        var result = await service.SaveAsync(r);

        Assert.Equal("Slug: yang-zhilin is already used by Yang Zhilin.", result.ErrorFor(nameof(PersonRequest.Slug)));
        Assert.Equal(before, await EditAssert.CountsAsync(_app));
    }

    [Fact]
    public async Task A_second_save_from_the_same_version_is_a_conflict_naming_the_field_the_first_changed()
    {
        var first = await _app.ServiceAsAsync<PersonEditService>(EditingApp.Editor);
        var second = await _app.ServiceAsAsync<PersonEditService>(EditingApp.Admin);
        var mine = (await first.EditAsync("yang-zhilin"))!.Request;
        var theirs = (await second.EditAsync("yang-zhilin"))!.Request;
        mine.BirthYear = 1992;
        theirs.NameZh = "杨植麟 (changed)";

        Assert.Equal(SaveStatus.Saved, (await first.SaveAsync(mine)).Status);
        var result = await second.SaveAsync(theirs);

        Assert.Equal(SaveStatus.Conflict, result.Status);
        Assert.Contains(Assert.Single(result.Conflict!.Changes).Fields, f => f.Field == "BirthYear");
        await using var db = _app.Db();
        Assert.Equal("杨植麟", await db.People.Where(p => p.Slug == "yang-zhilin").Select(p => p.NameZh).SingleAsync());
    }

    [Fact]
    public async Task Changing_only_a_role_still_conflicts_with_another_edit_of_the_person()
    {
        var first = await _app.ServiceAsAsync<PersonEditService>(EditingApp.Editor);
        var second = await _app.ServiceAsAsync<PersonEditService>(EditingApp.Admin);
        var mine = (await first.EditAsync("yang-zhilin"))!.Request;
        var theirs = (await second.EditAsync("yang-zhilin"))!.Request;
        mine.Bio = "First.";
        theirs.Roles[0].Title = "Second";

        Assert.Equal(SaveStatus.Saved, (await first.SaveAsync(mine)).Status);
        Assert.Equal(SaveStatus.Conflict, (await second.SaveAsync(theirs)).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(EditingApp.Analyst)]
    public async Task Anonymous_visitors_and_analysts_cannot_save_or_delete(string? user)
    {
        var service = await _app.ServiceAsAsync<PersonEditService>(user);
        var form = (await service.EditAsync("yang-zhilin"))!.Request;
        form.Bio = "Not allowed.";
        var fresh = await NewRequestAsync(service);
        var before = await EditAssert.CountsAsync(_app);

        await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(fresh));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(form));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.DeleteAsync(form.Id!.Value, form.Version));

        Assert.Equal(before, await EditAssert.CountsAsync(_app));
    }

    [Theory]
    [InlineData(EditingApp.Editor)]
    [InlineData(EditingApp.Admin)]
    public async Task Editors_and_admins_can_create_update_and_delete(string user)
    {
        var service = await _app.ServiceAsAsync<PersonEditService>(user);

        var created = await service.SaveAsync(await NewRequestAsync(service));
        var form = (await service.EditAsync("test-person"))!.Request;
        form.Bio = "Updated.";
        var updated = await service.SaveAsync(form);
        var version = (await service.EditAsync("test-person"))!.Request.Version;
        var deleted = await service.DeleteAsync(created.Id!.Value, version);

        Assert.Equal([SaveStatus.Saved, SaveStatus.Saved, SaveStatus.Saved], new[] { created.Status, updated.Status, deleted.Status });
        var actions = (await EditAssert.EntriesAsync(_app, RecordType.Person, created.Id.Value)).Select(e => e.Action);
        Assert.Equal([AuditAction.Create, AuditAction.Update, AuditAction.Delete], actions);
    }

    [Fact]
    public async Task The_edit_pages_are_for_editors_only()
    {
        await EditAssert.PageIsForEditorsOnlyAsync(_app, "/people/yang-zhilin/edit");
        await EditAssert.PageIsForEditorsOnlyAsync(_app, "/people/new?company=moonshot-ai");
    }
}
