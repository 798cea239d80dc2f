using AiLandscape.Tests.Features.Editing;
using AiLandscape.Tests.Features.Sources;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.ExchangeRates;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.ExchangeRates;

/// <summary>Exchange rates written through the audited writer; every change recomputes the companies' US$ figures.</summary>
public class ExchangeRateEditTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("rate_edit");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A CNY rate for a month that has none yet (the seed stores one month a quarter).</summary>
    private async Task<ExchangeRateRequest> NewRequestAsync(string currency = "CNY")
    {
        await using var db = _app.Db();
        var taken = await db.ExchangeRates.Where(x => x.Currency == currency).Select(x => x.Month).ToListAsync();
        var month = new DateOnly(2001, 1, 1);
        while (taken.Contains(month))
        {
            month = month.AddMonths(1);
        }
        var sourceId = await db.Sources.OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        return new ExchangeRateRequest
        {
            Currency = currency, Month = month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
            UnitsPerUsd = 8.2771m, SourceId = sourceId,
        };
    }

    private async Task<decimal?> TotalRaisedUsdAsync(string slug)
    {
        await using var db = _app.Db();
        return await db.Companies.Where(c => c.Slug == slug).Select(c => c.Figures.TotalRaisedUsd).FirstAsync();
    }

    [Fact]
    public async Task Adding_changing_and_deleting_a_rate_is_audited()
    {
        var service = await _app.ServiceAsAsync<ExchangeRateEditService>(EditingApp.Editor);
        var r = await NewRequestAsync();

        var created = await service.SaveAsync(r);

        Assert.True(created.Succeeded, string.Join(" | ", created.Errors.Select(e => e.Message)));
        var id = created.Id!.Value;
        var create = await _app.LastEntryAsync(RecordType.ExchangeRate, id);
        Assert.Equal(AuditAction.Create, create.Action);
        Assert.Equal(8.2771m, create.Change("UnitsPerUsd").New!.Value.GetDecimal());
        Assert.Equal(r.Month + "-01", create.Change("Month").New!.Value.GetString());

        var form = (await service.EditAsync(id))!;
        Assert.Equal(r.Month, form.Month);
        Assert.Equal("CNY", form.Currency);
        Assert.NotNull(form.SourceLabel);
        form.UnitsPerUsd = 8.28m;
        Assert.True((await service.SaveAsync(form)).Succeeded);
        var update = await _app.LastEntryAsync(RecordType.ExchangeRate, id);
        Assert.Equal(AuditAction.Update, update.Action);
        Assert.Equal((8.2771m, 8.28m), (update.Change("UnitsPerUsd").Old!.Value.GetDecimal(), update.Change("UnitsPerUsd").New!.Value.GetDecimal()));

        var again = (await service.EditAsync(id))!;
        Assert.True((await service.DeleteAsync(id, again.Version)).Succeeded);
        var delete = await _app.LastEntryAsync(RecordType.ExchangeRate, id);
        Assert.Equal(AuditAction.Delete, delete.Action);
        Assert.Equal(8.28m, delete.Change("UnitsPerUsd").Old!.Value.GetDecimal());
        await using var db = _app.Db();
        Assert.False(await db.ExchangeRates.AnyAsync(x => x.Id == id));
    }

    [Fact]
    public async Task Changing_the_rate_behind_a_yuan_round_changes_the_companys_stored_total_raised()
    {
        var service = await _app.ServiceAsAsync<ExchangeRateEditService>(EditingApp.Editor);
        await using var db = _app.Db();
        var round = await db.FundingRounds.AsNoTracking()
            .Where(x => x.Company.Slug == "zhipu-ai" && x.Currency == "CNY" && x.Amount != null && x.AnnouncedOn != null
                        && x.Status == RoundStatus.Completed && !x.IsUnverified && x.Stage != RoundStage.Ipo
                        // A year- or quarter-dated round converts at its period's average (ADR 0013): take one dated
                        // to a month or day, which converts at exactly one stored rate.
                        && (x.AnnouncedPrecision == DatePrecision.Day || x.AnnouncedPrecision == DatePrecision.Month))
            .OrderBy(x => x.AnnouncedOn).FirstAsync();
        var month = new DateOnly(round.AnnouncedOn!.Value.Year, round.AnnouncedOn.Value.Month, 1);
        var rate = await db.ExchangeRates.AsNoTracking().Where(x => x.Currency == "CNY" && x.Month <= month)
                       .OrderByDescending(x => x.Month).FirstOrDefaultAsync()
                   ?? await db.ExchangeRates.AsNoTracking().Where(x => x.Currency == "CNY").OrderBy(x => x.Month).FirstAsync();
        var before = await TotalRaisedUsdAsync("zhipu-ai");
        var moonshotBefore = await TotalRaisedUsdAsync("moonshot-ai");

        var form = (await service.EditAsync(rate.Id))!;
        form.UnitsPerUsd = rate.UnitsPerUsd * 2;
        Assert.True((await service.SaveAsync(form)).Succeeded);

        var after = await TotalRaisedUsdAsync("zhipu-ai");
        Assert.NotNull(after);
        Assert.True(after < before, $"{after} should be below {before}");
        // Half the dollars of that round went away (more if other rounds use the same rate).
        var halfOfRound = Math.Round(round.Amount!.Value / rate.UnitsPerUsd, 0) - Math.Round(round.Amount.Value / (rate.UnitsPerUsd * 2), 0);
        Assert.True(before!.Value - after!.Value >= halfOfRound - 2, $"{before} - {after} should be at least {halfOfRound}");
        Assert.Equal(moonshotBefore, await TotalRaisedUsdAsync("moonshot-ai"));
        // The round's stored USD amount, which the rounds list sorts, filters and adds up on, follows the new rate.
        await using var db2 = _app.Db();
        var stored = await db2.FundingRounds.AsNoTracking().SingleAsync(x => x.Id == round.Id);
        Assert.Equal(Math.Round(round.Amount.Value / (rate.UnitsPerUsd * 2), 0), stored.AmountUsd);
    }

    public static TheoryData<string, string, string> Rules => new()
    {
        { "usd", nameof(ExchangeRateRequest.Currency), "Currency must be one of CNY, HKD" },
        { "unsupported", nameof(ExchangeRateRequest.Currency), "Currency must be one of CNY, HKD" },
        { "no month", nameof(ExchangeRateRequest.Month), "Month is required" },
        { "bad month", nameof(ExchangeRateRequest.Month), "Month must be written YYYY-MM" },
        { "month 13", nameof(ExchangeRateRequest.Month), "Month must be written YYYY-MM" },
        { "a day", nameof(ExchangeRateRequest.Month), "Month must be written YYYY-MM" },
        { "future", nameof(ExchangeRateRequest.Month), "Month must not be in the future" },
        { "before 1990", nameof(ExchangeRateRequest.Month), "Month must not be before 1990" },
        { "no rate", nameof(ExchangeRateRequest.UnitsPerUsd), "Units per US$ is required" },
        { "zero", nameof(ExchangeRateRequest.UnitsPerUsd), "Units per US$ must be more than zero" },
        { "negative", nameof(ExchangeRateRequest.UnitsPerUsd), "Units per US$ must be more than zero" },
        { "no source", nameof(ExchangeRateRequest.SourceId), "Source is required" },
        { "deleted source", nameof(ExchangeRateRequest.SourceId), "has been deleted" },
        { "taken month", nameof(ExchangeRateRequest.Month), "there is already a CNY rate for" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Each_rule_refuses_with_a_message_naming_the_field_and_nothing_is_written(string rule, string field, string message)
    {
        var service = await _app.ServiceAsAsync<ExchangeRateEditService>(EditingApp.Editor);
        var r = await NewRequestAsync();
        await using var before = _app.Db();
        switch (rule)
        {
            case "usd": r.Currency = "USD"; break;
            case "unsupported": r.Currency = "EUR"; break;
            case "no month": r.Month = ""; break;
            case "bad month": r.Month = "2024-3"; break;
            case "month 13": r.Month = "2024-13"; break;
            case "a day": r.Month = "2024-03-01"; break;
            case "future": r.Month = DateTime.UtcNow.AddMonths(2).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture); break;
            case "before 1990": r.Month = "1989-12"; break;
            case "no rate": r.UnitsPerUsd = null; break;
            case "zero": r.UnitsPerUsd = 0; break;
            case "negative": r.UnitsPerUsd = -7.1m; break;
            case "no source": r.SourceId = null; break;
            case "deleted source": r.SourceId = 999_999; break;
            case "taken month":
                r.Month = (await before.ExchangeRates.Where(x => x.Currency == "CNY").Select(x => x.Month).FirstAsync())
                    .ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
                break;
        }
        var rates = await before.ExchangeRates.CountAsync();
        var audit = await _app.AuditCountAsync();

        AuditChecks.AssertInvalid(await service.SaveAsync(r), field, message);

        await using var after = _app.Db();
        Assert.Equal(rates, await after.ExchangeRates.CountAsync());
        Assert.Equal(audit, await _app.AuditCountAsync());
    }

    [Fact]
    public async Task The_list_pages_and_filters_by_currency()
    {
        var service = await _app.ServiceAsAsync<ExchangeRateEditService>(EditingApp.Editor);
        var cny = await service.ListAsync(new ExchangeRateQuery("CNY", PageSize: 5));
        Assert.Equal(5, cny.Items.Count);
        Assert.True(cny.TotalCount > 5);
        Assert.All(cny.Items, x => Assert.Equal("CNY", x.Currency));
        Assert.Equal(cny.Items.OrderByDescending(x => x.Month).Select(x => x.Id), cny.Items.Select(x => x.Id));
        Assert.Equal(0, (await service.ListAsync(new ExchangeRateQuery("USD"))).TotalCount);
    }

    [Fact]
    public async Task A_second_editor_saving_the_same_version_gets_a_conflict()
    {
        var service = await _app.ServiceAsAsync<ExchangeRateEditService>(EditingApp.Editor);
        var id = (await service.SaveAsync(await NewRequestAsync())).Id!.Value;
        var mine = (await service.EditAsync(id))!;
        var theirs = (await service.EditAsync(id))!;

        theirs.UnitsPerUsd = 8.3m;
        Assert.True((await service.SaveAsync(theirs)).Succeeded);
        mine.UnitsPerUsd = 8.4m;

        Assert.Equal(SaveStatus.Conflict, (await service.SaveAsync(mine)).Status);
        await using var db = _app.Db();
        Assert.Equal(8.3m, await db.ExchangeRates.Where(x => x.Id == id).Select(x => x.UnitsPerUsd).FirstAsync());
    }

    [Fact]
    public async Task Only_editors_and_admins_may_save_or_delete()
    {
        var editor = await _app.ServiceAsAsync<ExchangeRateEditService>(EditingApp.Editor);
        var existing = (await editor.SaveAsync(await NewRequestAsync())).Id!.Value;
        var version = (await editor.EditAsync(existing))!.Version;
        foreach (var user in new[] { null, EditingApp.Analyst })
        {
            var service = await _app.ServiceAsAsync<ExchangeRateEditService>(user);
            var request = await NewRequestAsync("HKD");
            await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(request));
            await Assert.ThrowsAsync<ForbiddenException>(() => service.DeleteAsync(existing, version));
        }
        foreach (var user in new[] { EditingApp.Editor, EditingApp.Admin })
        {
            var service = await _app.ServiceAsAsync<ExchangeRateEditService>(user);
            var saved = await service.SaveAsync(await NewRequestAsync("HKD"));
            Assert.True(saved.Succeeded, user);
            var form = await service.EditAsync(saved.Id!.Value);
            Assert.True((await service.DeleteAsync(saved.Id.Value, form!.Version)).Succeeded, user);
        }
    }
}
