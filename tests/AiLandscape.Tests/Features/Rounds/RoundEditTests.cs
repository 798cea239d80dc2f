using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.History;
using AiLandscape.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Rounds;

/// <summary>Editors add, correct and delete funding rounds: validation, audit trail, conflicts, figures.</summary>
[RunsLong(60)]
public class RoundEditTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("round_edit");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<RoundRequest> NewDeepSeekRoundAsync()
    {
        var service = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var form = await service.NewAsync("deepseek");
        Assert.NotNull(form);
        await using var db = _app.Db();
        var tencent = await db.Investors.SingleAsync(i => i.Slug == "tencent");
        var r = form.Request;
        r.AnnouncedOn = "2026-03-02";
        r.LabelAsAnnounced = "A轮";
        r.Stage = RoundStage.SeriesA;
        r.Currency = "USD";
        r.Amount = 500_000_000m;
        r.Participations =
        [
            new ParticipationInput { InvestorId = tencent.Id, InvestorName = tencent.NameEn, IsLead = true },
            new ParticipationInput { IsNewInvestor = true, NewInvestorNameEn = "Hangzhou AI Fund", NewInvestorNameZh = "杭州人工智能基金", NewInvestorKind = InvestorKind.StateBackedFund },
        ];
        r.Sources = [new SourceInput { Url = "https://example.com/deepseek-series-a", Title = "DeepSeek raises US$500M", Publisher = "Example News", PublishedOn = "2026-03-02" }];
        return r;
    }

    [Fact]
    public async Task An_editor_adds_a_round_with_an_existing_and_a_new_investor_and_a_source_in_one_audited_change()
    {
        var service = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var result = await service.SaveAsync(await NewDeepSeekRoundAsync());

        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        await using var db = _app.Db();
        var round = await db.FundingRounds.Include(r => r.Participations).ThenInclude(p => p.Investor).SingleAsync(r => r.Id == result.Id);
        Assert.Equal(500_000_000m, round.Amount);
        Assert.Equal(new DateOnly(2026, 3, 2), round.AnnouncedOn);
        Assert.Equal(DatePrecision.Day, round.AnnouncedPrecision);
        Assert.Equal(["Hangzhou AI Fund", "Tencent"], round.Participations.Select(p => p.Investor.NameEn).Order());
        Assert.True(round.Participations.Single(p => p.Investor.Slug == "tencent").IsLead);
        var newInvestor = round.Participations.Single(p => p.Investor.NameEn == "Hangzhou AI Fund").Investor;
        Assert.Equal("hangzhou-ai-fund", newInvestor.Slug);
        Assert.Equal("杭州人工智能基金", newInvestor.NameZh);
        var citation = await db.Citations.Include(c => c.Source).SingleAsync(c => c.RecordType == RecordType.FundingRound && c.RecordId == round.Id);
        Assert.Equal("https://example.com/deepseek-series-a", citation.Source.Url);

        var deepseek = await db.Companies.SingleAsync(c => c.Slug == "deepseek");
        Assert.Equal(500_000_000m, deepseek.Figures.TotalRaisedUsd);
        Assert.Equal(1, deepseek.Figures.RoundCount);
        Assert.Equal(2, deepseek.Figures.InvestorCount);

        var entries = await db.AuditEntries.Where(a => a.CompanyId == deepseek.Id).ToListAsync();
        Assert.Single(entries.Select(e => e.ChangeSetId).Distinct());
        Assert.All(entries, e => Assert.Equal("Demo Editor", e.UserName));
        Assert.Equal(
            [RecordType.Investor, RecordType.FundingRound, RecordType.Participation, RecordType.Participation, RecordType.Source, RecordType.Citation],
            entries.Select(e => e.RecordType).OrderBy(t => t));
        Assert.All(entries, e => Assert.Equal(AuditAction.Create, e.Action));
        var created = entries.Single(e => e.RecordType == RecordType.FundingRound);
        Assert.Equal(round.Id, created.RecordId);
        Assert.Equal("Added Series A round of DeepSeek", created.Summary);
        var amount = AuditTrail.Deserialize(created.Changes).Single(c => c.Field == "Amount");
        Assert.Null(amount.Old);
        Assert.Equal(500_000_000m, amount.New!.Value.GetDecimal());
    }

    [Fact]
    public async Task Correcting_a_rounds_amount_and_currency_moves_its_stored_usd_figure_and_the_rounds_list_with_it()
    {
        var service = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var id = (await service.SaveAsync(await NewDeepSeekRoundAsync())).Id!.Value;
        async Task<FundingRound> StoredAsync()
        {
            await using var db = _app.Db();
            return await db.FundingRounds.AsNoTracking().SingleAsync(r => r.Id == id);
        }
        Assert.Equal(500_000_000m, (await StoredAsync()).AmountUsd);

        var form = (await service.EditAsync(id))!;
        form.Request.Currency = "CNY";
        form.Request.Amount = 7_000_000_000m;
        Assert.True((await service.SaveAsync(form.Request)).Succeeded);

        await using (var db = _app.Db())
        {
            var expected = (await AiLandscape.Web.Features.ExchangeRates.CurrencyConverter.LoadAsync(db))
                .ToUsd(7_000_000_000m, "CNY", new DateOnly(2026, 3, 2))!;
            var stored = await StoredAsync();
            Assert.Equal(expected.Usd, stored.AmountUsd);
            Assert.Equal(expected.IsApproximate, stored.AmountUsdIsApproximate);
        }
        var rounds = new RoundService(_app.App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>());
        var deepseek = await rounds.ListAsync(new RoundQuery { Company = "deepseek" });
        Assert.Equal((await StoredAsync()).AmountUsd, deepseek.Total.Usd);
        Assert.Contains(id, (await rounds.ListAsync(new RoundQuery { MinUsdMillions = 900, Currencies = ["CNY"], PageSize = 200 })).Items.Select(r => r.Id));

        form = (await service.EditAsync(id))!;
        form.Request.Disclosure = Disclosure.Undisclosed;
        form.Request.Amount = null;
        Assert.True((await service.SaveAsync(form.Request)).Succeeded, "undisclosed");
        Assert.Null((await StoredAsync()).AmountUsd);
        Assert.Equal(1, (await rounds.ListAsync(new RoundQuery { Company = "deepseek" })).Total.UndisclosedCount);
    }

    [Fact]
    public async Task A_correction_records_the_old_and_new_value_and_a_revert_restores_it_and_is_audited()
    {
        var service = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var id = (await service.SaveAsync(await NewDeepSeekRoundAsync())).Id!.Value;

        var form = (await service.EditAsync(id))!;
        Assert.Equal("2026-03-02", form.Request.AnnouncedOn);
        // The form shows the figure as typed, not numeric(20,4)'s "500000000.0000".
        Assert.Equal("500000000", form.Request.Amount!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, form.Request.Participations.Count);
        Assert.Single(form.Request.Sources);
        form.Request.Amount = 600_000_000m;
        form.Request.AnnouncedOn = "2026-03";
        Assert.True((await service.SaveAsync(form.Request)).Succeeded);

        await using (var db = _app.Db())
        {
            var update = await db.AuditEntries.SingleAsync(a => a.RecordType == RecordType.FundingRound && a.RecordId == id && a.Action == AuditAction.Update);
            var changes = AuditTrail.Deserialize(update.Changes).ToDictionary(c => c.Field);
            Assert.Equal(["Amount", "AnnouncedOn", "AnnouncedPrecision"], changes.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(500_000_000m, changes["Amount"].Old!.Value.GetDecimal());
            Assert.Equal(600_000_000m, changes["Amount"].New!.Value.GetDecimal());
            Assert.Equal("Day", changes["AnnouncedPrecision"].Old!.Value.GetString());
            Assert.Equal("Month", changes["AnnouncedPrecision"].New!.Value.GetString());
            Assert.Equal(600_000_000m, (await db.Companies.SingleAsync(c => c.Slug == "deepseek")).Figures.TotalRaisedUsd);

            var history = await _app.ServiceAsAsync<HistoryService>(EditingApp.Editor);
            var revert = await history.RevertAsync(update.ChangeSetId);
            Assert.True(revert.Succeeded, string.Join(" ", revert.Errors));
            var again = await history.RevertAsync(update.ChangeSetId);
            Assert.Equal("This change has already been reverted.", Assert.Single(again.Errors).Message);

            var reverted = await db.FundingRounds.AsNoTracking().SingleAsync(r => r.Id == id);
            Assert.Equal(500_000_000m, reverted.Amount);
            Assert.Equal(DatePrecision.Day, reverted.AnnouncedPrecision);
            var entry = await db.AuditEntries.SingleAsync(a => a.Action == AuditAction.Revert);
            Assert.Equal(update.Id, entry.RevertsEntryId);
            Assert.Equal(600_000_000m, AuditTrail.Deserialize(entry.Changes).Single(c => c.Field == "Amount").Old!.Value.GetDecimal());
            Assert.Equal(500_000_000m, (await db.Companies.AsNoTracking().SingleAsync(c => c.Slug == "deepseek")).Figures.TotalRaisedUsd);
        }
    }

    [Fact]
    public async Task Reverting_a_created_round_removes_it_with_its_investors_citations_and_new_records()
    {
        var service = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var id = (await service.SaveAsync(await NewDeepSeekRoundAsync())).Id!.Value;
        await using var db = _app.Db();
        var changeSet = (await db.AuditEntries.SingleAsync(a => a.RecordType == RecordType.FundingRound && a.RecordId == id)).ChangeSetId;

        var result = await (await _app.ServiceAsAsync<HistoryService>(EditingApp.Admin)).RevertAsync(changeSet);

        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        Assert.False(await db.FundingRounds.AnyAsync(r => r.Id == id));
        Assert.False(await db.Investors.AnyAsync(i => i.Slug == "hangzhou-ai-fund"));
        Assert.False(await db.Sources.AnyAsync(s => s.Url == "https://example.com/deepseek-series-a"));
        Assert.False(await db.Citations.AnyAsync(c => c.RecordType == RecordType.FundingRound && c.RecordId == id));
        Assert.Null((await db.Companies.SingleAsync(c => c.Slug == "deepseek")).Figures.TotalRaisedUsd);
        var reverts = await db.AuditEntries.Where(a => a.Action == AuditAction.Revert).ToListAsync();
        Assert.Equal(6, reverts.Count);
        Assert.All(reverts, e => Assert.Equal("Demo Admin", e.UserName));
    }

    [Fact]
    public async Task Deleting_a_round_is_audited_and_its_revert_brings_back_the_round_and_its_investors()
    {
        await using var db = _app.Db();
        var round = await db.FundingRounds.Include(r => r.Participations).Include(r => r.Company)
            .Where(r => r.Company.Slug == "moonshot-ai" && r.Participations.Count >= 2).OrderBy(r => r.Id).FirstAsync();
        var citations = await db.Citations.CountAsync(c => c.RecordType == RecordType.FundingRound && c.RecordId == round.Id);
        var participationIds = round.Participations.Select(p => (int?)p.Id).ToList();
        var participationCitations = await db.Citations.CountAsync(c => c.RecordType == RecordType.Participation && participationIds.Contains(c.RecordId));
        var linkedValuations = await db.ValuationPoints.CountAsync(v => v.FundingRoundId == round.Id);
        var service = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);

        var deleted = await service.DeleteAsync(round.Id, round.Version);

        Assert.True(deleted.Succeeded, string.Join(" ", deleted.Errors));
        Assert.False(await db.FundingRounds.AnyAsync(r => r.Id == round.Id));
        var entries = await db.AuditEntries.Where(a => a.Action == AuditAction.Delete).ToListAsync();
        Assert.Equal(1 + round.Participations.Count + citations + participationCitations, entries.Count);
        Assert.Equal(linkedValuations, await db.AuditEntries.CountAsync(a => a.Action == AuditAction.Update && a.RecordType == RecordType.ValuationPoint));
        var roundEntry = entries.Single(e => e.RecordType == RecordType.FundingRound);
        Assert.Equal(round.Stage.ToString(), AuditTrail.Deserialize(roundEntry.Changes).Single(c => c.Field == "Stage").Old!.Value.GetString());

        var revert = await (await _app.ServiceAsAsync<HistoryService>(EditingApp.Editor)).RevertAsync(roundEntry.ChangeSetId);

        Assert.True(revert.Succeeded, string.Join(" ", revert.Errors));
        var back = await db.FundingRounds.AsNoTracking().Include(r => r.Participations).SingleAsync(r => r.Id == round.Id);
        Assert.Equal((round.Amount, round.AmountMin, round.Disclosure), (back.Amount, back.AmountMin, back.Disclosure));
        Assert.Equal(round.LabelAsAnnounced, back.LabelAsAnnounced);
        Assert.Equal(round.Participations.Select(p => (p.InvestorId, p.IsLead)).Order(), back.Participations.Select(p => (p.InvestorId, p.IsLead)).Order());
        Assert.Equal(citations, await db.Citations.CountAsync(c => c.RecordType == RecordType.FundingRound && c.RecordId == round.Id));
        Assert.Equal(participationCitations, await db.Citations.CountAsync(c => c.RecordType == RecordType.Participation && participationIds.Contains(c.RecordId)));
        Assert.Equal(linkedValuations, await db.ValuationPoints.CountAsync(v => v.FundingRoundId == round.Id));
    }

    [Fact]
    public async Task The_second_of_two_editors_saving_the_same_round_gets_a_conflict_naming_the_first_change()
    {
        await using var db = _app.Db();
        var id = await db.FundingRounds.Where(r => r.Company.Slug == "moonshot-ai").OrderBy(r => r.Id).Select(r => r.Id).FirstAsync();
        var first = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var second = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Admin);
        var mine = (await first.EditAsync(id))!.Request;
        var theirs = (await second.EditAsync(id))!.Request;

        mine.Notes = "Corrected by the editor";
        Assert.True((await first.SaveAsync(mine)).Succeeded);
        theirs.Notes = "Corrected by the admin";
        var conflict = await second.SaveAsync(theirs);

        Assert.Equal(SaveStatus.Conflict, conflict.Status);
        var change = Assert.Single(conflict.Conflict!.Changes);
        Assert.Equal("Demo Editor", change.UserName);
        Assert.Equal("Notes", Assert.Single(change.Fields).Field);
        Assert.Equal("Corrected by the editor", (await db.FundingRounds.SingleAsync(r => r.Id == id)).Notes);

        // A change to the round's investors alone is a change of the round too.
        var third = (await second.EditAsync(id))!.Request;
        var fourth = (await first.EditAsync(id))!.Request;
        third.Participations.RemoveAt(0);
        Assert.True((await second.SaveAsync(third)).Succeeded);
        fourth.Notes = "Stale";
        Assert.Equal(SaveStatus.Conflict, (await first.SaveAsync(fourth)).Status);

        // Overwriting is a deliberate choice.
        theirs.Overwrite = true;
        Assert.True((await second.SaveAsync(theirs)).Succeeded);
        Assert.Equal("Corrected by the admin", (await db.FundingRounds.AsNoTracking().SingleAsync(r => r.Id == id)).Notes);
    }

    public static TheoryData<string, string, string> BadInput => new()
    {
        { "negative amount", "Amount", "Amount must be zero or more." },
        { "min above max", "AmountMin", "Minimum amount must not be more than maximum amount." },
        { "currency", "Currency", "Currency must be a supported ISO 4217 code: USD, CNY, HKD." },
        { "future", "AnnouncedOn", "Announced must not be in the future." },
        { "before 1990", "AnnouncedOn", "Announced must not be before 1990." },
        { "date text", "AnnouncedOn", "Announced must be a date written YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD." },
        { "no source", "Sources", "Sources: add at least one source for the figures on this form." },
        { "ftp url", "Sources[0].Url", "New source 1: URL must be an absolute http:// or https:// URL." },
        { "relative url", "Sources[0].Url", "New source 1: URL must be an absolute http:// or https:// URL." },
        { "undisclosed with amount", "Amount", "Amount must be empty when the size is undisclosed." },
        { "no investor chosen", "Participations[2].Investor", "Investor 3: choose an investor, or add a new one." },
        { "investor twice", "Participations[2].Investor", "Investor 3: Tencent is listed twice." },
        { "existing investor as new", "Participations[1].NewInvestorNameEn", "Investor 2: Tencent already exists; choose it instead of adding it again." },
        { "negative post-money", "PostMoneyValuation", "Post-money valuation must be zero or more." },
        { "amount beyond the column", "Amount", "Amount must be at most 1,000,000,000,000,000 (10^15)." },
        { "range beyond the column", "AmountMax", "Maximum amount must be at most 1,000,000,000,000,000 (10^15)." },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_names_the_field_and_the_rule_and_writes_nothing(string rule, string field, string message)
    {
        var r = await NewDeepSeekRoundAsync();
        switch (rule)
        {
            case "negative amount": r.Amount = -5; break;
            case "min above max": r.Disclosure = Disclosure.Range; r.AmountMin = 10; r.AmountMax = 5; break;
            case "currency": r.Currency = "EUR"; break;
            case "future": r.AnnouncedOn = DateTime.UtcNow.AddDays(20).ToString("yyyy-MM-dd"); break;
            case "before 1990": r.AnnouncedOn = "1989-12"; break;
            case "date text": r.AnnouncedOn = "March 2026"; break;
            case "no source": r.Sources.Clear(); break;
            case "ftp url": r.Sources[0].Url = "ftp://example.com/a"; break;
            case "relative url": r.Sources[0].Url = "/news/a"; break;
            case "undisclosed with amount": r.Disclosure = Disclosure.Undisclosed; break;
            case "no investor chosen": r.Participations.Add(new ParticipationInput()); break;
            case "investor twice": r.Participations.Add(new ParticipationInput { InvestorId = r.Participations[0].InvestorId, InvestorName = "Tencent" }); break;
            case "existing investor as new": r.Participations[1].NewInvestorNameEn = "tencent"; break;
            case "negative post-money": r.PostMoneyValuation = -1; break;
            case "amount beyond the column": r.Amount = 99_999_999_999_999_999_999m; break;
            case "range beyond the column": r.Disclosure = Disclosure.Range; r.AmountMin = 1; r.AmountMax = 1e20m; break;
        }
        await using var db = _app.Db();
        var before = (await db.FundingRounds.CountAsync(), await db.Investors.CountAsync(), await db.Sources.CountAsync(), await db.AuditEntries.CountAsync());

        var result = await (await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor)).SaveAsync(r);

        Assert.Equal(SaveStatus.Invalid, result.Status);
        Assert.Contains(new FieldMessage(field, message), result.Errors);
        Assert.Equal(before, (await db.FundingRounds.CountAsync(), await db.Investors.CountAsync(), await db.Sources.CountAsync(), await db.AuditEntries.CountAsync()));
    }

    [Fact]
    public async Task A_post_money_below_the_amount_and_a_likely_duplicate_ask_for_confirmation_first()
    {
        var service = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var r = await NewDeepSeekRoundAsync();
        r.PostMoneyValuation = 100_000_000m;
        await using var db = _app.Db();
        var rounds = await db.FundingRounds.CountAsync();

        var asked = await service.SaveAsync(r);
        Assert.Equal(SaveStatus.NeedsConfirmation, asked.Status);
        Assert.Equal("Post-money valuation is below the amount raised: check both figures.", Assert.Single(asked.Warnings).Message);
        Assert.Equal(rounds, await db.FundingRounds.CountAsync());
        r.Confirmed = true;
        Assert.True((await service.SaveAsync(r)).Succeeded);

        var twin = await NewDeepSeekRoundAsync();
        twin.AnnouncedOn = "2026-03-20";
        twin.Participations.RemoveAt(1);
        twin.Sources[0].Url = "https://example.com/deepseek-series-a-again";
        var duplicate = await service.SaveAsync(twin);
        Assert.Equal(SaveStatus.NeedsConfirmation, duplicate.Status);
        Assert.Equal("AnnouncedOn", Assert.Single(duplicate.Warnings).Field);
        Assert.StartsWith("DeepSeek already has a Series A round announced 2 Mar 2026", duplicate.Warnings[0].Message);
        Assert.Equal(rounds + 1, await db.FundingRounds.CountAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(EditingApp.Analyst)]
    public async Task Anonymous_visitors_and_analysts_cannot_write_rounds_or_revert(string? user)
    {
        var request = await NewDeepSeekRoundAsync();
        await using var db = _app.Db();
        var round = await db.FundingRounds.OrderBy(r => r.Id).FirstAsync();
        var service = await _app.ServiceAsAsync<RoundEditService>(user);
        var history = await _app.ServiceAsAsync<HistoryService>(user);

        await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(request));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.DeleteAsync(round.Id, round.Version));
        await Assert.ThrowsAsync<ForbiddenException>(() => history.RevertAsync(Guid.NewGuid()));
        Assert.True(await db.FundingRounds.AnyAsync(r => r.Id == round.Id));
        Assert.Equal(0, await db.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task A_change_is_not_reverted_over_a_later_edit_of_the_same_field()
    {
        var service = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var id = (await service.SaveAsync(await NewDeepSeekRoundAsync())).Id!.Value;
        var form = (await service.EditAsync(id))!.Request;
        form.Amount = 600_000_000m;
        Assert.True((await service.SaveAsync(form)).Succeeded);
        form = (await service.EditAsync(id))!.Request;
        form.Amount = 700_000_000m;
        Assert.True((await service.SaveAsync(form)).Succeeded);
        await using var db = _app.Db();
        var first = await db.AuditEntries.Where(a => a.Action == AuditAction.Update).OrderBy(a => a.Id).FirstAsync();

        var result = await (await _app.ServiceAsAsync<HistoryService>(EditingApp.Editor)).RevertAsync(first.ChangeSetId);

        Assert.Equal(SaveStatus.Invalid, result.Status);
        Assert.Contains($"the funding round #{id} has a different amount now", result.Errors[0].Message);
        Assert.Equal(700_000_000m, (await db.FundingRounds.SingleAsync(r => r.Id == id)).Amount);
    }

    [Fact]
    public async Task An_editor_disabled_or_demoted_by_an_admin_is_refused_at_once_though_still_signed_in()
    {
        var service = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var request = await NewDeepSeekRoundAsync();
        var admin = await _app.ServiceAsAsync<UserAdminService>(EditingApp.Admin);
        await using var db = _app.Db();
        var editorId = (await db.Users.SingleAsync(u => u.Email == EditingApp.Editor)).Id;

        Assert.True((await admin.SetDisabledAsync(editorId, disabled: true)).Succeeded);
        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(request));
        Assert.Contains("disabled", refused.Message);

        Assert.True((await admin.SetDisabledAsync(editorId, disabled: false)).Succeeded);
        Assert.True((await admin.SetRoleAsync(editorId, Roles.Editor, member: false)).Succeeded);
        await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(request));
        Assert.False(await db.FundingRounds.AnyAsync(r => r.Company.Slug == "deepseek"));

        Assert.True((await admin.SetRoleAsync(editorId, Roles.Editor, member: true)).Succeeded);
        Assert.True((await service.SaveAsync(request)).Succeeded);
    }

    [Fact]
    public async Task The_round_forms_are_for_editors_only()
    {
        await using var db = _app.Db();
        var id = await db.FundingRounds.OrderBy(r => r.Id).Select(r => r.Id).FirstAsync();
        await EditAssert.PageIsForEditorsOnlyAsync(_app, "/companies/deepseek/rounds/new");
        await EditAssert.PageIsForEditorsOnlyAsync(_app, $"/rounds/{id}/edit");
    }

    [Fact]
    public async Task A_new_source_with_the_url_of_a_known_source_points_the_editor_at_that_source()
    {
        await using var db = _app.Db();
        var known = await db.Sources.Where(x => x.Url != null).OrderBy(x => x.Id).FirstAsync();
        var r = await NewDeepSeekRoundAsync();
        r.Sources[0].Url = known.Url;
        var sources = await db.Sources.CountAsync();

        var result = await (await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor)).SaveAsync(r);

        Assert.Equal($"New source 1: URL is already the source “{known.Title}”; add that one from the list instead.", result.ErrorFor("Sources[0].Url"));
        Assert.Equal(sources, await db.Sources.CountAsync());
    }
}
