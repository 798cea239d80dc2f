using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Investors;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Investors;

public class InvestorEditTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("investor_edit");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<int> InvestorIdAsync(string slug)
    {
        await using var db = _app.Db();
        return await db.Investors.Where(i => i.Slug == slug).Select(i => i.Id).SingleAsync();
    }

    private async Task<InvestorRequest> NewRequestAsync() => new()
    {
        NameEn = "Test Ventures", NameZh = "测试资本", Slug = "test-ventures", Aliases = "TV, Test VC", Kind = InvestorKind.VentureCapital,
        Country = "cn", Website = "https://ventures.example.com", Summary = "A test fund.",
        ParentId = await InvestorIdAsync("tencent"), ParentName = "Tencent",
    };

    [Fact]
    public async Task Creating_an_investor_stores_it_and_audits_it()
    {
        var service = await _app.ServiceAsAsync<InvestorEditService>(EditingApp.Editor);

        var result = await service.SaveAsync(await NewRequestAsync());

        Assert.Equal(SaveStatus.Saved, result.Status);
        Assert.Equal("test-ventures", result.Slug);
        await using var db = _app.Db();
        var investor = await db.Investors.AsNoTracking().Include(i => i.Parent).SingleAsync(i => i.Slug == "test-ventures");
        Assert.Equal("CN", investor.Country);
        Assert.Equal(["TV", "Test VC"], investor.Aliases);
        Assert.Equal("Tencent", investor.Parent!.NameEn);
        var entry = Assert.Single(await EditAssert.EntriesAsync(_app, RecordType.Investor, investor.Id));
        Assert.Equal(AuditAction.Create, entry.Action);
        Assert.Equal("Added investor Test Ventures", entry.Summary);
        Assert.Null(entry.CompanyId);
        Assert.Equal("Test Ventures", EditAssert.Text(EditAssert.Change(entry, "NameEn").New));
        Assert.Equal(investor.ParentId.ToString(), EditAssert.Text(EditAssert.Change(entry, "ParentId").New));
    }

    [Fact]
    public async Task Updating_an_investor_audits_each_changed_field_with_its_old_and_new_value()
    {
        var service = await _app.ServiceAsAsync<InvestorEditService>(EditingApp.Admin);
        var form = (await service.EditAsync("tencent"))!.Request;
        Assert.Equal("CN", form.Country);
        form.Website = "https://www.tencent.com";
        form.Kind = InvestorKind.ParentCompany;

        var result = await service.SaveAsync(form);

        Assert.Equal(SaveStatus.Saved, result.Status);
        var entry = Assert.Single(await EditAssert.EntriesAsync(_app, RecordType.Investor, form.Id!.Value));
        Assert.Equal(AuditAction.Update, entry.Action);
        var website = EditAssert.Change(entry, "Website");
        Assert.Null(EditAssert.Text(website.Old));
        Assert.Equal("https://www.tencent.com", EditAssert.Text(website.New));
        var kind = EditAssert.Change(entry, "Kind");
        Assert.Equal("CorporateStrategic", EditAssert.Text(kind.Old));
        Assert.Equal("ParentCompany", EditAssert.Text(kind.New));
        Assert.DoesNotContain(Web.Features.History.AuditTrail.Deserialize(entry.Changes), c => c.Field is "NameEn" or "Country" or "Aliases");
    }

    [Fact]
    public async Task Deleting_an_investor_in_no_round_audits_it_and_unlinks_its_units()
    {
        var service = await _app.ServiceAsAsync<InvestorEditService>(EditingApp.Editor);
        var parent = await NewRequestAsync();
        parent.ParentId = null;
        var created = await service.SaveAsync(parent);
        var unit = await NewRequestAsync();
        unit.Slug = "test-ventures-fund-1";
        unit.NameEn = "Test Ventures Fund I";
        unit.ParentId = created.Id;
        var unitId = (await service.SaveAsync(unit)).Id!.Value;
        var version = (await service.EditAsync("test-ventures"))!.Request.Version;

        var result = await service.DeleteAsync(created.Id!.Value, version);

        Assert.Equal(SaveStatus.Saved, result.Status);
        await using var db = _app.Db();
        Assert.False(await db.Investors.AnyAsync(i => i.Id == created.Id));
        Assert.Null(await db.Investors.Where(i => i.Id == unitId).Select(i => i.ParentId).SingleAsync());
        var entries = await EditAssert.EntriesAsync(_app, RecordType.Investor, created.Id.Value);
        Assert.Equal([AuditAction.Create, AuditAction.Delete], entries.Select(e => e.Action));
        Assert.Equal("Test Ventures", EditAssert.Text(EditAssert.Change(entries[1], "NameEn").Old));
        var unitEntry = (await EditAssert.EntriesAsync(_app, RecordType.Investor, unitId)).Last();
        Assert.Equal(AuditAction.Update, unitEntry.Action);
        Assert.Equal(entries[1].ChangeSetId, unitEntry.ChangeSetId);
        Assert.Null(EditAssert.Change(unitEntry, "ParentId").New);
    }

    [Fact]
    public async Task Deleting_an_investor_in_rounds_is_refused_saying_how_many()
    {
        var service = await _app.ServiceAsAsync<InvestorEditService>(EditingApp.Editor);
        var form = (await service.EditAsync("tencent"))!.Request;
        await using var db = _app.Db();
        var rounds = await db.Participations.Where(p => p.InvestorId == form.Id).Select(p => p.FundingRoundId).Distinct().CountAsync();
        Assert.True(rounds > 1, "the seed has Tencent in several rounds");
        var before = await EditAssert.CountsAsync(_app);

        var result = await service.DeleteAsync(form.Id!.Value, form.Version);

        Assert.Equal(SaveStatus.Invalid, result.Status);
        Assert.Equal($"Tencent is an investor in {rounds} rounds: remove it from those rounds first.", result.ErrorFor(""));
        Assert.Equal(before, await EditAssert.CountsAsync(_app));
    }

    public static TheoryData<string, string, string> InvalidCases => new()
    {
        { "no-name", nameof(InvestorRequest.NameEn), "English name is required" },
        { "long-zh", nameof(InvestorRequest.NameZh), "Chinese name must be at most 200 characters" },
        { "bad-slug", nameof(InvestorRequest.Slug), "Slug must be URL-safe" },
        { "new-slug", nameof(InvestorRequest.Slug), "Slug: new is reserved" },
        { "bad-country", nameof(InvestorRequest.Country), "Country must be a two-letter ISO 3166 code" },
        { "bad-website", nameof(InvestorRequest.Website), "Website must be an absolute http:// or https:// URL" },
        { "long-alias", nameof(InvestorRequest.Aliases), "Aliases: each entry must be at most 200 characters" },
        { "long-summary", nameof(InvestorRequest.Summary), "Summary must be at most 4000 characters" },
        { "missing-parent", nameof(InvestorRequest.ParentId), "Parent investor: that investor has been deleted" },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public async Task An_invalid_investor_is_refused_with_a_message_naming_the_field_and_nothing_is_written(string @case, string field, string message)
    {
        var r = await NewRequestAsync();
        switch (@case)
        {
            case "no-name": r.NameEn = null; break;
            case "long-zh": r.NameZh = new string('资', 201); break;
            case "bad-slug": r.Slug = "-test"; break;
            case "new-slug": r.Slug = "new"; break;
            case "bad-country": r.Country = "China"; break;
            case "bad-website": r.Website = "ventures.example.com"; break;
            case "long-alias": r.Aliases = new string('a', 201); break;
            case "long-summary": r.Summary = new string('s', 4001); break;
            case "missing-parent": r.ParentId = 999_999; break;
        }
        var service = await _app.ServiceAsAsync<InvestorEditService>(EditingApp.Editor);
        var before = await EditAssert.CountsAsync(_app);

        var result = await service.SaveAsync(r);

        EditAssert.InvalidAbout(result, field, message);
        Assert.Equal(before, await EditAssert.CountsAsync(_app));
    }

    [Fact]
    public async Task An_investor_cannot_be_its_own_parent_or_the_parent_of_its_parent()
    {
        var service = await _app.ServiceAsAsync<InvestorEditService>(EditingApp.Editor);
        var alibaba = (await service.EditAsync("alibaba"))!.Request;
        var cloudId = await InvestorIdAsync("alibaba-cloud");
        var before = await EditAssert.CountsAsync(_app);

        alibaba.ParentId = alibaba.Id;
        var self = await service.SaveAsync(alibaba);
        alibaba.ParentId = cloudId;
        var loop = await service.SaveAsync(alibaba);

        EditAssert.InvalidAbout(self, nameof(InvestorRequest.ParentId), "Parent investor must be another investor");
        EditAssert.InvalidAbout(loop, nameof(InvestorRequest.ParentId), "it belongs to this investor already");
        Assert.Equal(before, await EditAssert.CountsAsync(_app));
    }

    [Fact]
    public async Task A_slug_in_use_is_refused_naming_the_investor_that_has_it()
    {
        var service = await _app.ServiceAsAsync<InvestorEditService>(EditingApp.Editor);
        var r = await NewRequestAsync();
        r.Slug = "tencent";
        var before = await EditAssert.CountsAsync(_app);

        var result = await service.SaveAsync(r);

        Assert.Equal("Slug: tencent is already used by Tencent.", result.ErrorFor(nameof(InvestorRequest.Slug)));
        Assert.Equal(before, await EditAssert.CountsAsync(_app));
    }

    [Fact]
    public async Task A_second_save_from_the_same_version_is_a_conflict_naming_the_field_the_first_changed()
    {
        var first = await _app.ServiceAsAsync<InvestorEditService>(EditingApp.Editor);
        var second = await _app.ServiceAsAsync<InvestorEditService>(EditingApp.Admin);
        var mine = (await first.EditAsync("tencent"))!.Request;
        var theirs = (await second.EditAsync("tencent"))!.Request;
        mine.Summary = "First editor's summary.";
        theirs.Country = "HK";

        Assert.Equal(SaveStatus.Saved, (await first.SaveAsync(mine)).Status);
        var result = await second.SaveAsync(theirs);

        Assert.Equal(SaveStatus.Conflict, result.Status);
        Assert.Contains(Assert.Single(result.Conflict!.Changes).Fields, f => f.Field == "Summary");
        await using var db = _app.Db();
        Assert.Equal("CN", await db.Investors.Where(i => i.Slug == "tencent").Select(i => i.Country).SingleAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(EditingApp.Analyst)]
    public async Task Anonymous_visitors_and_analysts_cannot_save_or_delete(string? user)
    {
        var service = await _app.ServiceAsAsync<InvestorEditService>(user);
        var form = (await service.EditAsync("hongshan"))!.Request;
        form.Summary = "Not allowed.";
        var fresh = await NewRequestAsync();
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
        var service = await _app.ServiceAsAsync<InvestorEditService>(user);

        var created = await service.SaveAsync(await NewRequestAsync());
        var form = (await service.EditAsync("test-ventures"))!.Request;
        form.Summary = "Updated.";
        var updated = await service.SaveAsync(form);
        var version = (await service.EditAsync("test-ventures"))!.Request.Version;
        var deleted = await service.DeleteAsync(created.Id!.Value, version);

        Assert.Equal([SaveStatus.Saved, SaveStatus.Saved, SaveStatus.Saved], new[] { created.Status, updated.Status, deleted.Status });
        var actions = (await EditAssert.EntriesAsync(_app, RecordType.Investor, created.Id.Value)).Select(e => e.Action);
        Assert.Equal([AuditAction.Create, AuditAction.Update, AuditAction.Delete], actions);
    }

    [Fact]
    public async Task The_edit_pages_are_for_editors_only()
    {
        await EditAssert.PageIsForEditorsOnlyAsync(_app, "/investors/tencent/edit");
        await EditAssert.PageIsForEditorsOnlyAsync(_app, "/investors/new");
    }
}
