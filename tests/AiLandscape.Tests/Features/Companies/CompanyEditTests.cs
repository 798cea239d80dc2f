using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Editing;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Companies;

public class CompanyEditTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("company_edit");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static CompanyRequest NewRequest(string slug = "lingyi-test") => new()
    {
        NameEn = "Lingyi Test", NameZh = "灵一", Slug = slug, FoundedOn = "2024-03", Website = "https://lingyi.example.com",
        Aliases = "Lingyi, LY\nLing-1", LegalNames = "Beijing Lingyi Technology Co., Ltd.", Sectors = "Foundation models",
        Groups = "", HeadquartersCity = "Beijing", Summary = "A test company.",
        Sources = [new SourceInput { Url = "https://news.example.com/lingyi", Title = "Lingyi launches", PublishedOn = "2024-03-05" }],
    };

    [Fact]
    public async Task Creating_a_company_stores_it_with_its_source_and_audits_both()
    {
        var service = await _app.ServiceAsAsync<CompanyEditService>(EditingApp.Editor);

        var result = await service.SaveAsync(NewRequest());

        Assert.Equal(SaveStatus.Saved, result.Status);
        Assert.Equal("lingyi-test", result.Slug);
        await using var db = _app.Db();
        var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Slug == "lingyi-test");
        Assert.Equal(result.Id, company.Id);
        Assert.Equal(["Lingyi", "LY", "Ling-1"], company.Aliases);
        Assert.Equal(["Beijing Lingyi Technology Co., Ltd."], company.LegalNames);
        Assert.Empty(company.Groups);
        Assert.Equal(new DateOnly(2024, 3, 1), company.FoundedOn);
        Assert.Equal(DatePrecision.Month, company.FoundedPrecision);
        var citation = await db.Citations.AsNoTracking().Include(c => c.Source)
            .SingleAsync(c => c.RecordType == RecordType.Company && c.RecordId == company.Id);
        Assert.Equal("Lingyi launches", citation.Source.Title);

        var entry = Assert.Single(await EditAssert.EntriesAsync(_app, RecordType.Company, company.Id));
        Assert.Equal(AuditAction.Create, entry.Action);
        Assert.Equal("Demo Editor", entry.UserName);
        Assert.Equal(company.Id, entry.CompanyId);
        Assert.Equal("Added company Lingyi Test", entry.Summary);
        var name = EditAssert.Change(entry, "NameEn");
        Assert.Null(name.Old);
        Assert.Equal("Lingyi Test", EditAssert.Text(name.New));
        var citationEntry = Assert.Single(await EditAssert.EntriesAsync(_app, RecordType.Citation, citation.Id));
        Assert.Equal(AuditAction.Create, citationEntry.Action);
        Assert.Equal(company.Id, citationEntry.CompanyId);
        Assert.Equal(entry.ChangeSetId, citationEntry.ChangeSetId);
    }

    [Fact]
    public async Task Updating_a_company_audits_each_changed_field_with_its_old_and_new_value()
    {
        var service = await _app.ServiceAsAsync<CompanyEditService>(EditingApp.Admin);
        var form = await service.EditAsync("moonshot-ai");
        Assert.NotNull(form);
        var r = form.Request;
        Assert.Equal("Kimi", r.Aliases);
        r.Aliases = "Kimi, Yuezhi";
        r.HeadquartersCity = "Shanghai";

        var result = await service.SaveAsync(r);

        Assert.Equal(SaveStatus.Saved, result.Status);
        var entry = Assert.Single(await EditAssert.EntriesAsync(_app, RecordType.Company, r.Id!.Value));
        Assert.Equal(AuditAction.Update, entry.Action);
        Assert.Equal("Changed company Moonshot AI", entry.Summary);
        var city = EditAssert.Change(entry, "HeadquartersCity");
        Assert.Equal("Beijing", EditAssert.Text(city.Old));
        Assert.Equal("Shanghai", EditAssert.Text(city.New));
        var aliases = EditAssert.Change(entry, "Aliases");
        Assert.Equal(["Kimi"], aliases.Old!.Value.Deserialize<string[]>()!);
        Assert.Equal(["Kimi", "Yuezhi"], aliases.New!.Value.Deserialize<string[]>()!);
        // Fields left as they were are not recorded as changes.
        Assert.DoesNotContain(Web.Features.History.AuditTrail.Deserialize(entry.Changes), c => c.Field is "NameEn" or "Sectors" or "FoundedOn");
    }

    [Fact]
    public async Task Deleting_a_company_removes_and_audits_each_of_its_dependents()
    {
        await using var before = _app.Db();
        var company = await before.Companies.AsNoTracking().SingleAsync(c => c.Slug == "moonshot-ai");
        var roles = await before.CompanyRoles.CountAsync(x => x.CompanyId == company.Id);
        var rounds = await before.FundingRounds.CountAsync(x => x.CompanyId == company.Id);
        var participations = await before.Participations.CountAsync(x => x.FundingRound.CompanyId == company.Id);
        var valuations = await before.ValuationPoints.CountAsync(x => x.CompanyId == company.Id);
        var events = await before.CompanyEvents.CountAsync(x => x.CompanyId == company.Id);
        var models = await before.ModelReleases.CountAsync(x => x.CompanyId == company.Id);
        Assert.True(roles > 0 && rounds > 0 && participations > 0 && valuations > 0, "the seed gives Moonshot AI roles, rounds and valuations");
        var service = await _app.ServiceAsAsync<CompanyEditService>(EditingApp.Editor);

        var result = await service.DeleteAsync(company.Id, company.Version);

        Assert.Equal(SaveStatus.Saved, result.Status);
        await using var db = _app.Db();
        Assert.False(await db.Companies.AnyAsync(c => c.Id == company.Id));
        Assert.False(await db.CompanyRoles.AnyAsync(x => x.CompanyId == company.Id));
        Assert.False(await db.FundingRounds.AnyAsync(x => x.CompanyId == company.Id));
        Assert.False(await db.Citations.AnyAsync(c => c.RecordType == RecordType.Company && c.RecordId == company.Id));
        var entries = await db.AuditEntries.AsNoTracking().Where(a => a.Summary == "Deleted company Moonshot AI").ToListAsync();
        Assert.All(entries, e => Assert.Equal(AuditAction.Delete, e.Action));
        Assert.All(entries, e => Assert.Equal(company.Id, e.CompanyId));
        Assert.Single(entries.Select(e => e.ChangeSetId).Distinct());
        int Count(RecordType t) => entries.Count(e => e.RecordType == t);
        Assert.Equal(1, Count(RecordType.Company));
        Assert.Equal(roles, Count(RecordType.CompanyRole));
        Assert.Equal(rounds, Count(RecordType.FundingRound));
        Assert.Equal(participations, Count(RecordType.Participation));
        Assert.Equal(valuations, Count(RecordType.ValuationPoint));
        Assert.Equal(events, Count(RecordType.CompanyEvent));
        Assert.Equal(models, Count(RecordType.ModelRelease));
        Assert.True(Count(RecordType.Citation) > 0);
        var deleted = entries.Single(e => e.RecordType == RecordType.Company);
        Assert.Equal("Moonshot AI", EditAssert.Text(EditAssert.Change(deleted, "NameEn").Old));
        Assert.Null(EditAssert.Change(deleted, "NameEn").New);
    }

    public static TheoryData<string, string, string> InvalidCases => new()
    {
        { "no-name", nameof(CompanyRequest.NameEn), "English name is required" },
        { "long-name", nameof(CompanyRequest.NameEn), "English name must be at most 200 characters" },
        { "bad-slug", nameof(CompanyRequest.Slug), "Slug must be URL-safe" },
        { "no-slug", nameof(CompanyRequest.Slug), "Slug is required" },
        { "new-slug", nameof(CompanyRequest.Slug), "Slug: new is reserved" },
        { "bad-website", nameof(CompanyRequest.Website), "Website must be an absolute http:// or https:// URL" },
        { "bad-founded", nameof(CompanyRequest.FoundedOn), "Founded must be a date written YYYY" },
        { "future-founded", nameof(CompanyRequest.FoundedOn), "Founded must not be in the future" },
        { "public-no-venue", nameof(CompanyRequest.ListingVenue), "Listing venue (for a public company) is required" },
        { "private-listed", nameof(CompanyRequest.ListingVenue), "must be empty for a private company" },
        { "ticker-no-venue", nameof(CompanyRequest.Ticker), "Ticker needs a listing venue" },
        { "listed-month", nameof(CompanyRequest.ListedOn), "Listed on must be a date written YYYY-MM-DD" },
        { "listed-before-founded", nameof(CompanyRequest.ListedOn), "Listed on must not be before founded" },
        { "long-alias", nameof(CompanyRequest.Aliases), "Aliases: each entry must be at most 200 characters" },
        { "long-summary", nameof(CompanyRequest.Summary), "Summary must be at most 4000 characters" },
        { "bad-source", "Sources[0].Url", "New source 1: URL must be an absolute http:// or https:// URL" },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public async Task An_invalid_company_is_refused_with_a_message_naming_the_field_and_nothing_is_written(string @case, string field, string message)
    {
        var r = NewRequest();
        switch (@case)
        {
            case "no-name": r.NameEn = " "; break;
            case "long-name": r.NameEn = new string('x', 201); break;
            case "bad-slug": r.Slug = "Moonshot AI"; break;
            case "no-slug": r.Slug = ""; break;
            case "new-slug": r.Slug = "new"; break;
            case "bad-website": r.Website = "ftp://lingyi.example.com"; break;
            case "bad-founded": r.FoundedOn = "March 2024"; break;
            case "future-founded": r.FoundedOn = $"{DateTime.UtcNow.Year + 2}"; break;
            case "public-no-venue": r.Status = CompanyStatus.Public; break;
            case "private-listed": r.Ticker = "0100"; r.ListingVenue = "HKEX"; break;
            case "ticker-no-venue": r.Status = CompanyStatus.Acquired; r.Ticker = "0100"; break;
            case "listed-month": r.Status = CompanyStatus.Public; r.ListingVenue = "HKEX"; r.ListedOn = "2026-01"; break;
            case "listed-before-founded": r.Status = CompanyStatus.Public; r.ListingVenue = "HKEX"; r.ListedOn = "2023-01-09"; break;
            case "long-alias": r.Aliases = "Short, " + new string('y', 201); break;
            case "long-summary": r.Summary = new string('s', 4001); break;
            case "bad-source": r.Sources[0].Url = "not a url"; break;
        }
        var service = await _app.ServiceAsAsync<CompanyEditService>(EditingApp.Editor);
        var before = await EditAssert.CountsAsync(_app);

        var result = await service.SaveAsync(r);

        EditAssert.InvalidAbout(result, field, message);
        Assert.Equal(before, await EditAssert.CountsAsync(_app));
    }

    [Fact]
    public async Task A_slug_in_use_is_refused_naming_the_company_that_has_it()
    {
        var service = await _app.ServiceAsAsync<CompanyEditService>(EditingApp.Editor);
        var before = await EditAssert.CountsAsync(_app);

        var created = await service.SaveAsync(NewRequest("moonshot-ai"));
        var form = (await service.EditAsync("deepseek"))!;
        form.Request.Slug = "moonshot-ai";
        var renamed = await service.SaveAsync(form.Request);

        Assert.Equal("Slug: moonshot-ai is already used by Moonshot AI.", created.ErrorFor(nameof(CompanyRequest.Slug)));
        Assert.Equal("Slug: moonshot-ai is already used by Moonshot AI.", renamed.ErrorFor(nameof(CompanyRequest.Slug)));
        Assert.Equal(before, await EditAssert.CountsAsync(_app));
        // Keeping its own slug is not a clash.
        form.Request.Slug = "deepseek";
        Assert.Equal(SaveStatus.Saved, (await service.SaveAsync(form.Request)).Status);
    }

    [Fact]
    public async Task A_second_save_from_the_same_version_is_a_conflict_naming_the_field_the_first_changed()
    {
        var first = await _app.ServiceAsAsync<CompanyEditService>(EditingApp.Editor);
        var second = await _app.ServiceAsAsync<CompanyEditService>(EditingApp.Admin);
        var mine = (await first.EditAsync("moonshot-ai"))!.Request;
        var theirs = (await second.EditAsync("moonshot-ai"))!.Request;
        Assert.Equal(mine.Version, theirs.Version);
        mine.Summary = "Changed by the first editor.";
        theirs.HeadquartersCity = "Hangzhou";

        Assert.Equal(SaveStatus.Saved, (await first.SaveAsync(mine)).Status);
        var result = await second.SaveAsync(theirs);

        Assert.Equal(SaveStatus.Conflict, result.Status);
        var change = Assert.Single(result.Conflict!.Changes);
        Assert.Equal("Demo Editor", change.UserName);
        Assert.Contains(change.Fields, f => f.Field == "Summary");
        await using var db = _app.Db();
        Assert.Equal("Beijing", await db.Companies.Where(c => c.Slug == "moonshot-ai").Select(c => c.HeadquartersCity).SingleAsync());

        // Overwriting deliberately saves over the other change.
        theirs.Overwrite = true;
        Assert.Equal(SaveStatus.Saved, (await second.SaveAsync(theirs)).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(EditingApp.Analyst)]
    public async Task Anonymous_visitors_and_analysts_cannot_save_or_delete(string? user)
    {
        var service = await _app.ServiceAsAsync<CompanyEditService>(user);
        var form = (await service.EditAsync("moonshot-ai"))!.Request;
        form.Summary = "Not allowed.";
        var before = await EditAssert.CountsAsync(_app);

        await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(NewRequest()));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(form));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.DeleteAsync(form.Id!.Value, form.Version));

        Assert.Equal(before, await EditAssert.CountsAsync(_app));
    }

    [Theory]
    [InlineData(EditingApp.Editor)]
    [InlineData(EditingApp.Admin)]
    public async Task Editors_and_admins_can_create_update_and_delete(string user)
    {
        var service = await _app.ServiceAsAsync<CompanyEditService>(user);

        var created = await service.SaveAsync(NewRequest());
        var form = (await service.EditAsync("lingyi-test"))!.Request;
        form.Summary = "Updated.";
        var updated = await service.SaveAsync(form);
        var version = (await service.EditAsync("lingyi-test"))!.Request.Version;
        var deleted = await service.DeleteAsync(created.Id!.Value, version);

        Assert.Equal([SaveStatus.Saved, SaveStatus.Saved, SaveStatus.Saved], new[] { created.Status, updated.Status, deleted.Status });
        var actions = (await EditAssert.EntriesAsync(_app, RecordType.Company, created.Id.Value)).Select(e => e.Action);
        Assert.Equal([AuditAction.Create, AuditAction.Update, AuditAction.Delete], actions);
    }

    [Fact]
    public async Task The_edit_pages_are_for_editors_only()
    {
        await EditAssert.PageIsForEditorsOnlyAsync(_app, "/companies/moonshot-ai/edit");
        await EditAssert.PageIsForEditorsOnlyAsync(_app, "/companies/new");
    }
}
