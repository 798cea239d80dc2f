using AiLandscape.Tests.Features.Editing;
using AiLandscape.Tests.Features.Sources;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Compare;
using AiLandscape.Web.Features.Disputes;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Features.Valuations;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Disputes;

/// <summary>Disputed fields listed from the seeded citations and resolved through the audited writer.</summary>
public class DisputeServiceTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("disputes");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<List<DisputeItem>> ListAsync(DisputeStatus status)
    {
        var service = await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor);
        return (await service.ListAsync(status, 1, DisputeService.MaxPageSize)).Items.ToList();
    }

    private static DisputeItem Find(IEnumerable<DisputeItem> items, string slug, RecordType type, string field) =>
        items.Single(d => d.CompanySlug == slug && d.RecordType == type && d.Field == field);

    /// <summary>The resolve form for the value of the dispute, as the page builds it.</summary>
    private async Task<ResolveDisputeRequest> RequestAsync(string slug, RecordType type, string field, string value, string reason = "The stronger source")
    {
        var service = await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor);
        var page = await service.ListAsync(DisputeStatus.All, 1, DisputeService.MaxPageSize);
        var item = Find(page.Items, slug, type, field);
        var r = DisputeService.NewRequest(item, item.Values.Single(v => v.Value == value), page.LoadedAt);
        r.Reason = reason;
        return r;
    }

    private async Task<CompanyFigures> FiguresAsync(string slug)
    {
        await using var db = _app.Db();
        return await db.Companies.AsNoTracking().Where(c => c.Slug == slug).Select(c => c.Figures).FirstAsync();
    }

    private async Task<T> ReadServiceAsync<T>() where T : notnull => await _app.ServiceAsAsync<T>(EditingApp.Analyst);

    [Fact]
    public async Task The_list_finds_the_seeded_disputes_with_each_value_and_its_sources()
    {
        var open = await ListAsync(DisputeStatus.Open);

        var baichuan = Find(open, "baichuan", RecordType.ValuationPoint, "Amount");
        Assert.Equal(DisputeState.Open, baichuan.State);
        Assert.Null(baichuan.Resolution);
        Assert.Equal(DisputeFieldKind.Amount, baichuan.Kind);
        Assert.Equal([">US$1B", "US$1.2B"], baichuan.Values.Select(v => v.Value).Order(StringComparer.Ordinal));
        Assert.All(baichuan.Values, v => Assert.NotEmpty(v.Sources));
        Assert.Equal(">US$1B", baichuan.CurrentValue);
        Assert.Equal("百川智能", baichuan.CompanyNameZh);
        // Strongest first: every value's best source is no weaker than the next value's.
        foreach (var d in open)
        {
            Assert.True(d.Values.Zip(d.Values.Skip(1)).All(p => p.First.BestKind <= p.Second.BestKind), d.Key);
            Assert.All(d.Values, v => Assert.True(v.Sources.Zip(v.Sources.Skip(1)).All(p => p.First.Kind <= p.Second.Kind), d.Key));
        }
        Assert.Contains(open, d => d.CompanySlug == "baichuan" && d.RecordType == RecordType.FundingRound && d.Field == "PostMoneyValuation");
        Assert.Contains(open, d => d.CompanySlug == "zhipu-ai" && d.Field == "TotalRaised" && d.Kind == DisputeFieldKind.None);
        // Agreeing sources are no dispute: Baichuan's headquarters is "Beijing" in all three.
        Assert.DoesNotContain(open, d => d.CompanySlug == "baichuan" && d.Field == "HeadquartersCity");
        Assert.Empty(await ListAsync(DisputeStatus.Resolved));

        // Pages cover the list once, in the same order.
        var service = await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor);
        var first = await service.ListAsync(DisputeStatus.Open, 1, 5);
        var second = await service.ListAsync(DisputeStatus.Open, 2, 5);
        Assert.Equal(open.Count, first.TotalCount);
        Assert.Equal(open.Take(10).Select(d => d.Key), first.Items.Concat(second.Items).Select(d => d.Key));
    }

    [Fact]
    public async Task Resolving_a_valuation_changes_the_stored_figures_the_profile_and_compare_and_is_audited_in_one_change_set()
    {
        var before = await FiguresAsync("zhipu-ai");
        var request = await RequestAsync("zhipu-ai", RecordType.ValuationPoint, "Amount", "~HK$31.2B", "Z20 is the prospectus figure");
        Assert.Equal(31_200_000_000m, request.Amount);
        Assert.Equal("HKD", request.Currency);
        Assert.Equal(FigureQualifier.Approximate, request.Qualifier);
        var service = await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor);

        var result = await service.ResolveAsync(request);

        Assert.True(result.Succeeded, string.Join(" | ", result.Errors.Select(e => e.Message)));
        var after = await FiguresAsync("zhipu-ai");
        Assert.True(after.LatestValuationUsd < before.LatestValuationUsd, $"{after.LatestValuationUsd} should be below {before.LatestValuationUsd}");
        Assert.Equal(Math.Round(before.LatestValuationUsd!.Value * 31.2m / 51m), Math.Round(after.LatestValuationUsd!.Value));

        var profile = (await (await ReadServiceAsync<CompanyService>()).GetProfileAsync("zhipu-ai"))!;
        Assert.Equal(31_200_000_000m, profile.Figures.LatestValuation!.Amount);
        Assert.Equal(DisputeState.Resolved, profile.Citations.StateOf(RecordType.ValuationPoint, request.Id!.Value, "Amount"));
        Assert.Equal("Z20 is the prospectus figure", profile.Citations.ResolutionOf(RecordType.ValuationPoint, request.Id.Value, "Amount")!.Reason);
        var compare = await (await ReadServiceAsync<CompareService>()).CompareAsync(["zhipu-ai"], RateMode.FigureDate);
        var row = Assert.Single(compare.Companies);
        Assert.Equal(31_200_000_000m, row.LatestValuation!.Amount);
        Assert.False(row.LatestValuationDisputed);

        var valuationEntry = await _app.LastEntryAsync(RecordType.ValuationPoint, request.Id.Value);
        var (oldAmount, newAmount) = valuationEntry.Change("Amount");
        Assert.Equal(51_000_000_000m, oldAmount!.Value.GetDecimal());
        Assert.Equal(31_200_000_000m, newAmount!.Value.GetDecimal());
        Assert.Contains("~HK$31.2B", valuationEntry.Summary, StringComparison.Ordinal);
        Assert.Contains("Z20 is the prospectus figure", valuationEntry.Summary, StringComparison.Ordinal);
        Assert.Contains("Zhipu", valuationEntry.Summary, StringComparison.Ordinal);
        Assert.NotNull(valuationEntry.CompanyId);
        await using var db = _app.Db();
        var resolution = await db.DisputeResolutions.SingleAsync();
        Assert.Equal("~HK$31.2B", resolution.AcceptedValue);
        Assert.Equal(["~hk$31.2b", "~hk$51b"], resolution.ValuesSeen);
        Assert.Equal("Demo Editor", resolution.ResolvedBy);
        var resolutionEntry = await _app.LastEntryAsync(RecordType.DisputeResolution, resolution.Id);
        Assert.Equal(AuditAction.Create, resolutionEntry.Action);
        Assert.Equal(valuationEntry.ChangeSetId, resolutionEntry.ChangeSetId);
        Assert.Equal("Z20 is the prospectus figure", EditAssert.Text(resolutionEntry.Change("Reason").New));

        Assert.Contains(await ListAsync(DisputeStatus.Resolved), d => d.RecordId == request.Id && d.State == DisputeState.Resolved);
        Assert.DoesNotContain(await ListAsync(DisputeStatus.Open), d => d.RecordType == RecordType.ValuationPoint && d.RecordId == request.Id);
    }

    [Fact]
    public async Task Resolving_a_round_amount_changes_the_total_raised()
    {
        // Two sources disagree on Baichuan's US$300M Series A1 (Oct 2023): one says US$350M.
        int roundId;
        await using (var db = _app.Db())
        {
            roundId = await db.FundingRounds.Where(r => r.Company.Slug == "baichuan" && r.Amount == 300_000_000m).Select(r => r.Id).SingleAsync();
            var sources = await db.Sources.OrderBy(s => s.Id).Select(s => s.Id).Take(2).ToListAsync();
            db.Citations.AddRange(
                new Citation { SourceId = sources[0], RecordType = RecordType.FundingRound, RecordId = roundId, Field = "Amount", ReportedValue = "US$300M" },
                new Citation { SourceId = sources[1], RecordType = RecordType.FundingRound, RecordId = roundId, Field = "Amount", ReportedValue = "US$350M" });
            await db.SaveChangesAsync();
        }
        var before = await FiguresAsync("baichuan");
        var profileBefore = (await (await ReadServiceAsync<CompanyService>()).GetProfileAsync("baichuan"))!;
        Assert.True(profileBefore.Citations.IsOpenDispute(RecordType.FundingRound, roundId, "Amount"));
        var request = await RequestAsync("baichuan", RecordType.FundingRound, "Amount", "US$350M");
        Assert.Equal(350_000_000m, request.Amount);

        var result = await (await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor)).ResolveAsync(request);

        Assert.True(result.Succeeded, string.Join(" | ", result.Errors.Select(e => e.Message)));
        Assert.Equal(before.TotalRaisedUsd + 50_000_000m, (await FiguresAsync("baichuan")).TotalRaisedUsd);
        var profile = (await (await ReadServiceAsync<CompanyService>()).GetProfileAsync("baichuan"))!;
        Assert.Equal(profileBefore.Figures.TotalRaised.Usd + 50_000_000m, profile.Figures.TotalRaised.Usd);
        Assert.False(profile.Citations.IsOpenDispute(RecordType.FundingRound, roundId, "Amount"));
        var compare = await (await ReadServiceAsync<CompareService>()).CompareAsync(["baichuan"], RateMode.FigureDate);
        Assert.Equal(profile.Figures.TotalRaised.Usd, compare.Companies[0].TotalRaised.Usd);
    }

    /// <summary>A new source reporting a value for a field, saved as an editor would (the list follows audited saves).</summary>
    private async Task CiteAsync(RecordType type, int id, string field, string value)
    {
        var sources = await _app.ServiceAsAsync<SourceEditService>(EditingApp.Editor);
        var saved = await sources.SaveAsync(new SourceRequest
        {
            Url = $"https://example.com/cites/{Guid.NewGuid():N}", Title = "A valuation report", Publisher = "Example News",
            PublishedOn = "2025-01-01", Kind = SourceKind.Newspaper, Language = "en",
            Citations = [new CitationInput { RecordType = type, RecordId = id, Field = field, ReportedValue = value }],
        });
        Assert.True(saved.Succeeded, string.Join(" | ", saved.Errors.Select(e => e.Message)));
    }

    [Fact]
    public async Task A_new_conflicting_citation_reopens_a_resolved_dispute()
    {
        var request = await RequestAsync("baichuan", RecordType.ValuationPoint, "Amount", "US$1.2B");
        Assert.Equal(1_200_000_000m, request.Amount);
        Assert.True((await (await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor)).ResolveAsync(request)).Succeeded);
        Assert.DoesNotContain(await ListAsync(DisputeStatus.Open), d => d.RecordType == RecordType.ValuationPoint && d.RecordId == request.Id);

        // The same value again from another source (any case) does not reopen it; a new value does.
        await CiteAsync(RecordType.ValuationPoint, request.Id!.Value, "Amount", " us$1.2b");
        Assert.DoesNotContain(await ListAsync(DisputeStatus.Open), d => d.RecordType == RecordType.ValuationPoint && d.RecordId == request.Id);
        await CiteAsync(RecordType.ValuationPoint, request.Id!.Value, "Amount", "US$1.5B");

        var reopened = Find(await ListAsync(DisputeStatus.Open), "baichuan", RecordType.ValuationPoint, "Amount");
        Assert.Equal(DisputeState.Reopened, reopened.State);
        Assert.Equal("US$1.2B", reopened.Resolution!.AcceptedValue);
        Assert.Equal(3, reopened.Values.Count);
        Assert.DoesNotContain(await ListAsync(DisputeStatus.Resolved), d => d.RecordId == request.Id && d.RecordType == RecordType.ValuationPoint);
        var profile = (await (await ReadServiceAsync<CompanyService>()).GetProfileAsync("baichuan"))!;
        Assert.True(profile.Citations.IsOpenDispute(RecordType.ValuationPoint, request.Id!.Value, "Amount"));

        // Deciding again sees all three values and closes it.
        var again = DisputeService.NewRequest(reopened, reopened.Values.Single(v => v.Normalized == "us$1.2b"), DateTimeOffset.UtcNow);
        again.Reason = "US$1.5B is a later round's figure";
        Assert.True((await (await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor)).ResolveAsync(again)).Succeeded);
        await using var check = _app.Db();
        Assert.Equal(3, (await check.DisputeResolutions.SingleAsync()).ValuesSeen.Count);
        Assert.Equal(DisputeState.Resolved, Find(await ListAsync(DisputeStatus.All), "baichuan", RecordType.ValuationPoint, "Amount").State);
    }

    [Fact]
    public async Task Analysts_and_anonymous_readers_read_the_list_and_only_signed_in_users_see_who_resolved()
    {
        var request = await RequestAsync("baichuan", RecordType.ValuationPoint, "Amount", "US$1.2B");
        Assert.True((await (await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor)).ResolveAsync(request)).Succeeded);

        DisputeItem Resolved(DisputePage page) => Find(page.Items, "baichuan", RecordType.ValuationPoint, "Amount");
        var asEditor = Resolved(await (await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor)).ListAsync(DisputeStatus.All, 1, DisputeService.MaxPageSize));
        var asAnalyst = Resolved(await (await _app.ServiceAsAsync<DisputeService>(EditingApp.Analyst)).ListAsync(DisputeStatus.All, 1, DisputeService.MaxPageSize));
        var asAnonymous = Resolved(await (await _app.ServiceAsAsync<DisputeService>(null)).ListAsync(DisputeStatus.All, 1, DisputeService.MaxPageSize));

        Assert.NotNull(asEditor.Resolution?.ResolvedBy);
        Assert.Equal(asEditor.Resolution!.ResolvedBy, asAnalyst.Resolution?.ResolvedBy);
        // Anonymous readers see the decision and its reason, not the editor's name.
        Assert.Equal("US$1.2B", asAnonymous.Resolution?.AcceptedValue);
        Assert.Equal(request.Reason, asAnonymous.Resolution?.Reason);
        Assert.Null(asAnonymous.Resolution?.ResolvedBy);
        Assert.Equal(asEditor.Values.Select(v => v.Value), asAnonymous.Values.Select(v => v.Value));
    }

    [Fact]
    public async Task Analysts_and_anonymous_users_are_refused_and_nothing_is_written()
    {
        var request = await RequestAsync("baichuan", RecordType.ValuationPoint, "Amount", "US$1.2B");
        var counts = await EditAssert.CountsAsync(_app);
        foreach (var user in new[] { null, EditingApp.Analyst })
        {
            var service = await _app.ServiceAsAsync<DisputeService>(user);
            await Assert.ThrowsAsync<ForbiddenException>(() => service.ResolveAsync(request));
        }
        Assert.Equal(counts, await EditAssert.CountsAsync(_app));
        await using var db = _app.Db();
        Assert.False(await db.DisputeResolutions.AnyAsync());
        Assert.Equal(1_000_000_000m, await db.ValuationPoints.Where(v => v.Id == request.Id).Select(v => v.Amount).FirstAsync());
    }

    public static TheoryData<string, string, string> Rules => new()
    {
        { "no reason", nameof(ResolveDisputeRequest.Reason), "Reason is required" },
        { "long reason", nameof(ResolveDisputeRequest.Reason), "Reason must be at most 2000" },
        { "no amount", nameof(ResolveDisputeRequest.Amount), "Amount is required" },
        { "negative amount", nameof(ResolveDisputeRequest.Amount), "Amount must be zero or more" },
        { "bad currency", nameof(ResolveDisputeRequest.Currency), "Currency must be a supported ISO 4217 code" },
        { "value no source reports", nameof(ResolveDisputeRequest.AcceptedValue), "no source reports" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Each_rule_refuses_with_a_message_naming_the_field_and_nothing_is_written(string rule, string field, string message)
    {
        var r = await RequestAsync("baichuan", RecordType.ValuationPoint, "Amount", "US$1.2B");
        switch (rule)
        {
            case "no reason": r.Reason = "  "; break;
            case "long reason": r.Reason = new string('x', 2001); break;
            case "no amount": r.Amount = null; break;
            case "negative amount": r.Amount = -1; break;
            case "bad currency": r.Currency = "EUR"; break;
            case "value no source reports": r.AcceptedValue = "US$9B"; break;
        }
        var counts = await EditAssert.CountsAsync(_app);

        var result = await (await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor)).ResolveAsync(r);

        AuditChecks.AssertInvalid(result, field, message);
        Assert.Equal(counts, await EditAssert.CountsAsync(_app));
        await using var db = _app.Db();
        Assert.False(await db.DisputeResolutions.AnyAsync());
        Assert.Equal(1_000_000_000m, await db.ValuationPoints.Where(v => v.Id == r.Id).Select(v => v.Amount).FirstAsync());
    }

    [Fact]
    public async Task A_date_field_takes_the_accepted_date_at_its_precision()
    {
        var r = await RequestAsync("baichuan", RecordType.Company, "FoundedOn", "24 Mar 2023");
        Assert.Equal("2023-03-24", r.Text);
        Assert.True((await (await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor)).ResolveAsync(r)).Succeeded);
        await using var db = _app.Db();
        var company = await db.Companies.SingleAsync(c => c.Slug == "baichuan");
        Assert.Equal(new DateOnly(2023, 3, 24), company.FoundedOn);
        Assert.Equal(DatePrecision.Day, company.FoundedPrecision);
    }

    [Fact]
    public async Task A_figure_no_record_holds_records_only_the_decision()
    {
        var r = await RequestAsync("zhipu-ai", RecordType.Company, "TotalRaised", ">¥12.5B in 11 rounds");
        var before = await FiguresAsync("zhipu-ai");
        Assert.True((await (await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor)).ResolveAsync(r)).Succeeded);
        Assert.Equal(before.TotalRaisedUsd, (await FiguresAsync("zhipu-ai")).TotalRaisedUsd);
        await using var db = _app.Db();
        Assert.Equal(">¥12.5B in 11 rounds", (await db.DisputeResolutions.SingleAsync()).AcceptedValue);
        Assert.False(await db.AuditEntries.AnyAsync(a => a.RecordType == RecordType.Company));
    }

    [Fact]
    public async Task A_change_made_after_the_list_was_loaded_is_a_conflict()
    {
        // Another editor resolved the same dispute after this editor loaded the list.
        var mine = await RequestAsync("baichuan", RecordType.ValuationPoint, "Amount", "US$1.2B");
        var theirs = await RequestAsync("baichuan", RecordType.ValuationPoint, "Amount", ">US$1B", "Their reason");
        var admin = await _app.ServiceAsAsync<DisputeService>(EditingApp.Admin);
        Assert.True((await admin.ResolveAsync(theirs)).Succeeded);

        var result = await (await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor)).ResolveAsync(mine);

        Assert.Equal(SaveStatus.Conflict, result.Status);
        await using (var db = _app.Db())
        {
            Assert.Equal("Their reason", (await db.DisputeResolutions.SingleAsync()).Reason);
            Assert.Equal(1_000_000_000m, await db.ValuationPoints.Where(v => v.Id == mine.Id).Select(v => v.Amount).FirstAsync());
        }

        // The record itself edited in the meantime is a conflict too, naming what changed; overwriting is deliberate.
        var stale = await RequestAsync("zhipu-ai", RecordType.ValuationPoint, "Amount", "~HK$31.2B");
        var valuations = await _app.ServiceAsAsync<ValuationEditService>(EditingApp.Admin);
        var form = (await valuations.EditAsync(stale.Id!.Value))!.Request;
        form.Notes = "edited meanwhile";
        Assert.True((await valuations.SaveAsync(form)).Succeeded);
        var editor = await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor);
        var conflict = await editor.ResolveAsync(stale);
        Assert.Equal(SaveStatus.Conflict, conflict.Status);
        Assert.Contains(conflict.Conflict!.Changes, c => c.Fields.Any(f => f.Field == "Notes"));
        stale.Overwrite = true;
        Assert.True((await editor.ResolveAsync(stale)).Succeeded);
    }

    [Theory]
    [InlineData("US$1.2B", 1_200_000_000, "USD", FigureQualifier.Exact)]
    [InlineData(">US$1B", 1_000_000_000, "USD", FigureQualifier.AtLeast)]
    [InlineData("~HK$51B", 51_000_000_000, "HKD", FigureQualifier.Approximate)]
    [InlineData("HK$4.19B (US$538M) at base size", 4_190_000_000, "HKD", FigureQualifier.Exact)]
    [InlineData("up to US$200M sought", 200_000_000, "USD", FigureQualifier.AtMost)]
    [InlineData("¥5亿", 500_000_000, "CNY", FigureQualifier.Exact)]
    public void Amounts_are_read_from_reported_values(string reported, decimal amount, string currency, FigureQualifier qualifier) =>
        Assert.Equal((amount, currency, qualifier), ReportedValueParser.Money(reported));

    [Theory]
    [InlineData("24 Mar 2023", "2023-03-24")]
    [InlineData("Apr 2023", "2023-04")]
    [InlineData("Mar 2023 (team assembled)", "2023-03")]
    [InlineData("early 2022", "2022")]
    [InlineData("2025-Q1", "2025-Q1")]
    [InlineData("unknown", null)]
    public void Dates_are_read_from_reported_values(string reported, string? expected) =>
        Assert.Equal(expected, ReportedValueParser.Date(reported));
}
