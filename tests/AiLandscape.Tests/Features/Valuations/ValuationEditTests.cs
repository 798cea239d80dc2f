using AiLandscape.Tests.Features.Editing;
using AiLandscape.Tests.Features.Sources;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Valuations;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Valuations;

/// <summary>Valuation points written through the audited writer, on the seeded database, as the demo users.</summary>
public class ValuationEditTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("valuation_edit");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<ValuationRequest> NewRequestAsync(string slug = "moonshot-ai", decimal amount = 50_000_000_000m)
    {
        var service = await _app.ServiceAsAsync<ValuationEditService>(EditingApp.Editor);
        var form = await service.NewAsync(slug);
        Assert.NotNull(form);
        await using var db = _app.Db();
        var sourceId = await db.Sources.OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        var r = form!.Request;
        r.ValuedOn = AuditChecks.ThisMonth();
        r.Amount = amount;
        r.Currency = "USD";
        r.Basis = ValuationBasis.Estimate;
        r.Sources.Add(new SourceInput { SourceId = sourceId });
        return r;
    }

    private async Task<CompanyFigures> FiguresAsync(string slug)
    {
        await using var db = _app.Db();
        return await db.Companies.AsNoTracking().Where(c => c.Slug == slug).Select(c => c.Figures).FirstAsync();
    }

    [Fact]
    public async Task Adding_changing_and_deleting_a_valuation_is_audited_and_moves_the_latest_valuation()
    {
        var service = await _app.ServiceAsAsync<ValuationEditService>(EditingApp.Editor);
        var before = await FiguresAsync("moonshot-ai");

        var created = await service.SaveAsync(await NewRequestAsync());

        Assert.True(created.Succeeded, string.Join(" | ", created.Errors.Select(e => e.Message)));
        var id = created.Id!.Value;
        var figures = await FiguresAsync("moonshot-ai");
        Assert.Equal(50_000_000_000m, figures.LatestValuationUsd);
        Assert.NotEqual(before.LatestValuationUsd, figures.LatestValuationUsd);
        var create = await _app.LastEntryAsync(RecordType.ValuationPoint, id);
        Assert.Equal(AuditAction.Create, create.Action);
        Assert.NotNull(create.CompanyId);
        Assert.Equal(50_000_000_000m, create.Change("Amount").New!.Value.GetDecimal());
        await using (var db = _app.Db())
        {
            Assert.Equal(1, await db.Citations.CountAsync(c => c.RecordType == RecordType.ValuationPoint && c.RecordId == id));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordType == RecordType.Citation && a.ChangeSetId == create.ChangeSetId));
        }

        var form = await service.EditAsync(id);
        Assert.Equal(AuditChecks.ThisMonth(), form!.Request.ValuedOn);
        form.Request.Amount = 60_000_000_000m;
        form.Request.Qualifier = FigureQualifier.AtLeast;
        Assert.True((await service.SaveAsync(form.Request)).Succeeded);

        var update = await _app.LastEntryAsync(RecordType.ValuationPoint, id);
        Assert.Equal(AuditAction.Update, update.Action);
        var (oldAmount, newAmount) = update.Change("Amount");
        Assert.Equal(50_000_000_000m, oldAmount!.Value.GetDecimal());
        Assert.Equal(60_000_000_000m, newAmount!.Value.GetDecimal());
        Assert.Equal("AtLeast", update.Change("Qualifier").New!.Value.GetString());
        Assert.Equal(60_000_000_000m, (await FiguresAsync("moonshot-ai")).LatestValuationUsd);

        var again = await service.EditAsync(id);
        Assert.True((await service.DeleteAsync(id, again!.Request.Version)).Succeeded);

        var delete = await _app.LastEntryAsync(RecordType.ValuationPoint, id);
        Assert.Equal(AuditAction.Delete, delete.Action);
        Assert.Equal(60_000_000_000m, delete.Change("Amount").Old!.Value.GetDecimal());
        Assert.Equal(before.LatestValuationUsd, (await FiguresAsync("moonshot-ai")).LatestValuationUsd);
        await using (var db = _app.Db())
        {
            Assert.False(await db.ValuationPoints.AnyAsync(v => v.Id == id));
            Assert.False(await db.Citations.AnyAsync(c => c.RecordType == RecordType.ValuationPoint && c.RecordId == id));
        }
    }

    [Fact]
    public async Task A_valuation_in_yuan_is_stored_in_dollars_with_a_rate_and_can_link_one_of_the_companys_rounds()
    {
        var service = await _app.ServiceAsAsync<ValuationEditService>(EditingApp.Editor);
        var form = await service.NewAsync("zhipu-ai");
        Assert.NotEmpty(form!.Rounds);
        var r = await NewRequestAsync("zhipu-ai", 100_000_000_000m);
        r.Currency = "CNY";
        r.FundingRoundId = form.Rounds[^1].Id;

        var saved = await service.SaveAsync(r);

        Assert.True(saved.Succeeded);
        var usd = (await FiguresAsync("zhipu-ai")).LatestValuationUsd;
        Assert.NotNull(usd);
        Assert.InRange(usd!.Value, 10_000_000_000m, 20_000_000_000m);
        await using var db = _app.Db();
        Assert.Equal(form.Rounds[^1].Id, await db.ValuationPoints.Where(v => v.Id == saved.Id).Select(v => v.FundingRoundId).FirstAsync());
    }

    public static TheoryData<string, string, string> Rules => new()
    {
        { "no date", nameof(ValuationRequest.ValuedOn), "Valued on is required" },
        { "future date", nameof(ValuationRequest.ValuedOn), "must not be in the future" },
        { "bad date", nameof(ValuationRequest.ValuedOn), "YYYY-MM-DD" },
        { "before 1990", nameof(ValuationRequest.ValuedOn), "before 1990" },
        { "no amount", nameof(ValuationRequest.Amount), "Amount is required" },
        { "negative amount", nameof(ValuationRequest.Amount), "Amount must be zero or more" },
        { "bad currency", nameof(ValuationRequest.Currency), "Currency must be a supported ISO 4217 code" },
        { "no source", RecordSources.Field, "at least one source" },
        { "long notes", nameof(ValuationRequest.Notes), "Notes must be at most 4000" },
        { "round of another company", nameof(ValuationRequest.FundingRoundId), "is not one of Moonshot AI's rounds" },
        { "deleted source", RecordSources.Field, "has been deleted" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Each_rule_refuses_with_a_message_naming_the_field_and_nothing_is_written(string rule, string field, string message)
    {
        var service = await _app.ServiceAsAsync<ValuationEditService>(EditingApp.Editor);
        var r = await NewRequestAsync();
        switch (rule)
        {
            case "no date": r.ValuedOn = " "; break;
            case "future date": r.ValuedOn = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture); break;
            case "bad date": r.ValuedOn = "March 2024"; break;
            case "before 1990": r.ValuedOn = "1989-12"; break;
            case "no amount": r.Amount = null; break;
            case "negative amount": r.Amount = -1; break;
            case "bad currency": r.Currency = "EUR"; break;
            case "no source": r.Sources.Clear(); break;
            case "long notes": r.Notes = new string('x', 4001); break;
            case "round of another company":
                await using (var db = _app.Db())
                {
                    r.FundingRoundId = await db.FundingRounds.Where(x => x.Company.Slug == "zhipu-ai").Select(x => x.Id).FirstAsync();
                }
                break;
            case "deleted source": r.Sources = [new SourceInput { SourceId = 999_999 }]; break;
        }
        await using var before = _app.Db();
        var valuations = await before.ValuationPoints.CountAsync();
        var citations = await before.Citations.CountAsync();
        var audit = await _app.AuditCountAsync();

        var result = await service.SaveAsync(r);

        AuditChecks.AssertInvalid(result, field, message);
        await using var after = _app.Db();
        Assert.Equal(valuations, await after.ValuationPoints.CountAsync());
        Assert.Equal(citations, await after.Citations.CountAsync());
        Assert.Equal(audit, await _app.AuditCountAsync());
    }

    [Fact]
    public async Task A_second_editor_saving_the_same_version_gets_a_conflict()
    {
        var service = await _app.ServiceAsAsync<ValuationEditService>(EditingApp.Editor);
        var admin = await _app.ServiceAsAsync<ValuationEditService>(EditingApp.Admin);
        var id = (await service.SaveAsync(await NewRequestAsync())).Id!.Value;
        var mine = (await service.EditAsync(id))!.Request;
        var theirs = (await admin.EditAsync(id))!.Request;
        Assert.Equal(mine.Version, theirs.Version);

        theirs.Amount = 70_000_000_000m;
        Assert.True((await admin.SaveAsync(theirs)).Succeeded);
        mine.Amount = 80_000_000_000m;
        var result = await service.SaveAsync(mine);

        Assert.Equal(SaveStatus.Conflict, result.Status);
        Assert.NotNull(result.Conflict);
        Assert.Contains(result.Conflict!.Changes, c => c.Fields.Any(f => f.Field == "Amount"));
        await using var db = _app.Db();
        Assert.Equal(70_000_000_000m, await db.ValuationPoints.Where(v => v.Id == id).Select(v => v.Amount).FirstAsync());
        Assert.Equal(SaveStatus.Conflict, (await service.DeleteAsync(id, mine.Version)).Status);
    }

    [Fact]
    public async Task Only_editors_and_admins_may_save_or_delete()
    {
        var editor = await _app.ServiceAsAsync<ValuationEditService>(EditingApp.Editor);
        var existing = (await editor.SaveAsync(await NewRequestAsync())).Id!.Value;
        var version = (await editor.EditAsync(existing))!.Request.Version;
        foreach (var user in new[] { null, EditingApp.Analyst })
        {
            var service = await _app.ServiceAsAsync<ValuationEditService>(user);
            var request = await NewRequestAsync();
            await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(request));
            await Assert.ThrowsAsync<ForbiddenException>(() => service.DeleteAsync(existing, version));
        }
        foreach (var user in new[] { EditingApp.Editor, EditingApp.Admin })
        {
            var service = await _app.ServiceAsAsync<ValuationEditService>(user);
            var saved = await service.SaveAsync(await NewRequestAsync());
            Assert.True(saved.Succeeded, user);
            var form = await service.EditAsync(saved.Id!.Value);
            Assert.True((await service.DeleteAsync(saved.Id.Value, form!.Request.Version)).Succeeded, user);
        }
    }
}
