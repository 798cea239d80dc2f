using System.Net;
using System.Text.Json;
using AiLandscape.Tests.Features.Accounts;
using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Data.Seed;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Compare;
using AiLandscape.Web.Features.Disputes;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Investors;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Disputes;

/// <summary>
/// Issue 18: only real conflicts are disputes, each marked on every page that shows the figure; unverified values
/// are marked and never headline figures; statements without a figure are shown; older databases are corrected.
/// </summary>
public class DataTruthTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("data_truth");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<List<DisputeItem>> DisputesAsync()
    {
        var service = await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor);
        return (await service.ListAsync(DisputeStatus.All, 1, DisputeService.MaxPageSize)).Items.ToList();
    }

    private async Task<string> PageAsync(string path)
    {
        using var client = AccountHttp.Client(_app.App);
        await AccountHttp.LoginOrFailAsync(client, EditingApp.Analyst);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_change_over_time_and_an_upsized_deal_are_not_disputes_but_real_conflicts_still_are()
    {
        var disputes = await DisputesAsync();
        // The Yi licence changed over time; MiniMax's HK$4.19B and HK$4.8B are the base deal and the upsized one.
        Assert.DoesNotContain(disputes, d => d.CompanySlug == "01-ai" && d.RecordType == RecordType.ModelRelease);
        Assert.DoesNotContain(disputes, d => d.CompanySlug == "minimax" && d.RecordType == RecordType.FundingRound && d.Field == "Amount");
        // Sources that disagree about the same fact at the same time stay disputes.
        Assert.Contains(disputes, d => d.CompanySlug == "deepseek" && d.RecordType == RecordType.ModelRelease && d.Field == "Licence");
        Assert.Contains(disputes, d => d.CompanySlug == "baichuan" && d.RecordType == RecordType.ModelRelease && d.Field == "ReleasedOn");
        Assert.Contains(disputes, d => d.CompanySlug == "zhipu-ai" && d.Field == "TotalRaised");
        Assert.Contains(disputes, d => d.RecordType == RecordType.Participation && d.Field == "Stake"
                                       && d.Values.Select(v => v.Value).Order().SequenceEqual(["~36%", "~40%"]));

        // The Yi licence is a dated history on the profile: the licence at release, then the later one.
        var companies = await _app.ServiceAsAsync<CompanyService>(EditingApp.Analyst);
        var oneAi = (await companies.GetProfileAsync("01-ai"))!;
        var yi = oneAi.Models.Single(m => m.Name == "Yi-6B / Yi-34B");
        Assert.Equal("Yi License", yi.Licence);
        Assert.Equal("Apache-2.0", Assert.Single(oneAi.Citations.ForField(RecordType.ModelRelease, yi.Id, "LicenceLater")).ReportedValue);
        var html = await PageAsync("/companies/01-ai");
        Assert.Contains("Licence at release: Yi License; later: Apache-2.0", html);

        // MiniMax's IPO: the base deal is the round's size, the deal with the over-allotment a second fact beside it.
        var minimax = (await companies.GetProfileAsync("minimax"))!;
        var ipo = minimax.Rounds.Single(r => r.Stage == RoundStage.Ipo);
        Assert.Equal(4_190_000_000m, ipo.Amount);
        Assert.Equal("HK$4.8B", Assert.Single(minimax.Citations.ForField(RecordType.FundingRound, ipo.Id, "AmountWithOverAllotment")).ReportedValue);
        Assert.Contains("with the over-allotment", await PageAsync("/companies/minimax"));
    }

    [Fact]
    public async Task Moonshots_series_b_clash_stores_what_each_source_names_and_no_invented_label()
    {
        await using var db = _app.Db();
        Assert.False(await db.Citations.AnyAsync(c => c.ReportedValue != null && c.ReportedValue.StartsWith("Series B is")));
        var disputes = await DisputesAsync();
        var clash = Assert.Single(disputes, d => d.CompanySlug == "moonshot-ai" && d.Field == "SeriesBRound");
        Assert.Equal(["Aug 2024 round", "Feb 2024 round"], clash.Values.Select(v => v.Value).Order(StringComparer.Ordinal));
        // Resolving it records a decision only: nothing is written into a round's label.
        Assert.Equal(DisputeFieldKind.None, clash.Kind);
        // Each round keeps the label its own source gives it.
        Assert.DoesNotContain(disputes, d => d.CompanySlug == "moonshot-ai" && d.Field == "LabelAsAnnounced");
    }

    [Theory]
    [InlineData("01-ai")]
    [InlineData("baichuan")]
    [InlineData("deepseek")]
    [InlineData("minimax")]
    [InlineData("moonshot-ai")]
    [InlineData("stepfun")]
    [InlineData("zhipu-ai")]
    public async Task Every_dispute_on_the_disputes_page_is_marked_on_the_company_profile(string slug)
    {
        var expected = (await DisputesAsync()).Where(d => d.CompanySlug == slug).Select(d => d.Key).ToList();
        var html = await PageAsync($"/companies/{slug}");
        foreach (var key in expected)
        {
            Assert.True(html.Contains($"data-dispute-key=\"{key}\"", StringComparison.Ordinal), $"{slug}: {key} is not marked on the profile");
        }
        if (slug is "deepseek" or "baichuan" or "zhipu-ai" or "moonshot-ai")
        {
            Assert.NotEmpty(expected); // the four conflicts the profile used to leave unmarked
        }
    }

    [Fact]
    public async Task A_disputed_round_date_is_marked_on_the_investor_profile()
    {
        var date = Assert.Single(await DisputesAsync(), d => d.CompanySlug == "minimax" && d.Field == "AnnouncedOn");
        var html = await PageAsync("/investors/alibaba");
        Assert.Contains($"data-dispute-key=\"{date.Key}\"", html);
        var stake = Assert.Single(await DisputesAsync(), d => d.Field == "Stake");
        Assert.Contains($"data-dispute-key=\"{stake.Key}\"", html);
    }

    [Fact]
    public async Task An_unverified_total_is_marked_everywhere_and_never_the_headline()
    {
        var companies = await _app.ServiceAsAsync<CompanyService>(EditingApp.Analyst);
        var p = (await companies.GetProfileAsync("01-ai"))!;
        var reported = Assert.Single(p.Citations.ForField(RecordType.Company, p.Id, "TotalRaised"));
        Assert.True(reported.IsUnverified);
        Assert.Contains("PitchBook", reported.Claim);
        Assert.False(p.Figures.TotalRaised.HasAnyAmount); // "undisclosed", not US$200M
        // The losing side of the founding-date dispute (the article's 2022) is unverified too.
        Assert.Contains(p.Citations.ForField(RecordType.Company, p.Id, "FoundedOn"), c => c.ReportedValue == "2022" && c.IsUnverified);

        var html = await PageAsync("/companies/01-ai");
        Assert.Contains("data-testid=\"unverified\"", html);
        Assert.Contains("2022 (unverified)", html); // in the founding date's disputed marker

        // Compare, its CSV, the API and the editors' list say so too.
        var compare = await _app.ServiceAsAsync<CompareService>(EditingApp.Analyst);
        var row = (await compare.CompareAsync(["01-ai"], RateMode.FigureDate)).Companies.Single();
        Assert.Equal("US$200M (PitchBook, unverified)", Assert.Single(row.ReportedTotals).Label);
        Assert.StartsWith("Undisclosed", AiLandscape.Web.Components.Shared.Format.Total(row.TotalRaised));
        using var client = AccountHttp.Client(_app.App);
        await AccountHttp.LoginOrFailAsync(client, EditingApp.Analyst);
        Assert.Contains("US$200M (PitchBook, unverified) per", await client.GetStringAsync("/compare.csv?c=01-ai"));
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/v1/companies/01-ai"));
        var total = json.RootElement.GetProperty("citations").EnumerateArray()
            .Single(c => c.GetProperty("field").GetString() == "TotalRaised");
        Assert.True(total.GetProperty("isUnverified").GetBoolean());
        Assert.Contains("PitchBook", total.GetProperty("unverifiedReason").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("totalRaised").GetProperty("usd").ValueKind);

        var disputes = await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor);
        var list = await disputes.UnverifiedAsync();
        Assert.Contains(list, u => u.CompanySlug == "01-ai" && u.ReportedValue == "US$200M (PitchBook)" && u.Reason.Contains("PitchBook"));
        Assert.Contains(list, u => u.CompanySlug == "01-ai" && u.ReportedValue == "2022");
        var analysts = await _app.ServiceAsAsync<DisputeService>(EditingApp.Analyst);
        await Assert.ThrowsAnyAsync<Exception>(() => analysts.UnverifiedAsync()); // an editors' list
    }

    [Theory]
    [InlineData("01-ai", "no IPO plan", "lonews")]
    [InlineData("minimax", "net loss US$465M", "ttm.financial")]
    [InlineData("moonshot-ai", "no rush to go public", "SCMP")]
    public async Task Statements_without_a_figure_appear_on_the_profile_and_in_the_api(string slug, string text, string publisher)
    {
        var companies = await _app.ServiceAsAsync<CompanyService>(EditingApp.Analyst);
        var p = (await companies.GetProfileAsync(slug))!;
        var statement = Assert.Single(p.Statements, s => s.Claim!.Contains(text, StringComparison.Ordinal));
        Assert.Contains(publisher, statement.PublisherLabel);
        Assert.NotNull(statement.PublishedOn);

        var html = await PageAsync($"/companies/{slug}");
        Assert.Contains("What sources say", html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(text), html);

        using var client = AccountHttp.Client(_app.App);
        await AccountHttp.LoginOrFailAsync(client, EditingApp.Analyst);
        using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/companies/{slug}"));
        var api = json.RootElement.GetProperty("statements").EnumerateArray()
            .Single(s => s.GetProperty("claim").GetString()!.Contains(text, StringComparison.Ordinal));
        Assert.NotEqual(JsonValueKind.Null, api.GetProperty("published").ValueKind);
        Assert.Contains(publisher, api.GetProperty("originalPublisher").GetString() + " " + api.GetProperty("publisher").GetString());
    }

    [Fact]
    public async Task Zhipus_2023_year_total_converts_at_the_2023_average_not_the_previous_december()
    {
        var companies = await _app.ServiceAsAsync<CompanyService>(EditingApp.Analyst);
        var p = (await companies.GetProfileAsync("zhipu-ai"))!;
        var year2023 = p.Rounds.Single(r => r.AnnouncedOn?.Year == 2023 && r.AnnouncedPrecision == DatePrecision.Year && r.Currency == "CNY");
        Assert.Equal(2_500_000_000m, year2023.Amount);
        // The mean of the stored 2023 months (Mar 6.8909, Jun 7.1614, Sep 7.2979, Dec 7.1402) = 7.1226: ~US$351M,
        // where the December 2022 rate (6.9717) gave US$358.6M. The source's own ~US$340M used a spot rate near 7.35.
        var usd = year2023.AmountUsd!;
        Assert.Equal(7.1226m, usd.UnitsPerUsd);
        Assert.Equal(Math.Round(2_500_000_000m / 7.1226m), usd.Usd);
        Assert.Contains("2023 average of the stored monthly rates (Mar, Jun, Sep, Dec; Federal Reserve Bank of St. Louis)", usd.Basis);
    }

    [Fact]
    public async Task Futeng_and_Fortera_are_one_investor_under_SSCIC_and_the_old_name_still_finds_it()
    {
        var investors = await _app.ServiceAsAsync<InvestorService>(EditingApp.Analyst);
        Assert.Null(await investors.GetProfileAsync("futeng-capital"));
        var fortera = (await investors.GetProfileAsync("fortera-capital"))!;
        Assert.Equal("孚腾资本", fortera.NameZh);
        Assert.Contains("Futeng", fortera.Aliases);
        Assert.Equal("sscic", fortera.Parent!.Slug);
        // Its rounds from both names: StepFun's Dec 2024 Series B and MiniMax's Pre-B+ (as "Futeng").
        Assert.Contains(fortera.Rounds, r => r.CompanySlug == "stepfun" && r.IsLead);
        Assert.Contains(fortera.Rounds, r => r.CompanySlug == "minimax" && r.IsLead);
        var found = await investors.ListAsync(new InvestorQuery { Search = "Futeng" });
        Assert.Contains(found.Items, i => i.Slug == "fortera-capital");

        var parent = (await investors.GetProfileAsync("sscic"))!;
        Assert.Contains(parent.Units, u => u.Slug == "fortera-capital");
        var html = await PageAsync("/investors/fortera-capital");
        Assert.Contains("data-testid=\"parent\"", html);
        Assert.Contains("Shanghai State-owned Capital Investment (SSCIC)", html);
    }

    [Fact]
    public async Task A_database_seeded_with_Futeng_apart_gets_it_merged_into_Fortera()
    {
        await using (var db = _app.OwnerDb()) // what an older seed left, as the owner wrote it
        {
            var fortera = await db.Investors.Include(i => i.Participations).SingleAsync(i => i.Slug == "fortera-capital");
            var futeng = new Investor { Slug = "futeng-capital", NameEn = "Futeng Capital", Aliases = ["Futeng"], Kind = InvestorKind.VentureCapital, Country = "CN" };
            db.Investors.Add(futeng);
            await db.SaveChangesAsync();
            var preB = fortera.Participations.Single(p => db.FundingRounds.Any(r => r.Id == p.FundingRoundId && r.Company.Slug == "minimax"));
            preB.InvestorId = futeng.Id;
            fortera.Aliases = ["SSCIC"];
            fortera.NameZh = null;
            fortera.ParentId = null;
            await db.SaveChangesAsync();
            await db.Investors.Where(i => i.Slug == "sscic").ExecuteDeleteAsync();
            await db.SeedHistory.Where(h => h.Dataset == SeedCorrections.DatasetName).ExecuteDeleteAsync();
        }
        var factory = TestPostgres.ContextFactory(_app.App.OwnerConnectionString); // seeding runs as the owner
        await new SeedLoader(factory, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).ApplyAsync();

        await using var check = _app.Db();
        Assert.False(await check.Investors.AnyAsync(i => i.Slug == "futeng-capital"));
        var merged = await check.Investors.Include(i => i.Parent).SingleAsync(i => i.Slug == "fortera-capital");
        Assert.Equal("孚腾资本", merged.NameZh);
        Assert.Contains("Futeng", merged.Aliases);
        Assert.Equal("sscic", merged.Parent!.Slug);
        Assert.Equal(2, await check.Participations.CountAsync(p => p.InvestorId == merged.Id));
    }

    [Fact]
    public async Task A_database_seeded_before_the_corrections_is_corrected_once_and_keeps_editors_changes()
    {
        // Put back what the old seed wrote (as the owner, who seeds).
        await using (var db = _app.OwnerDb())
        {
            async Task<Citation> One(string slug, RecordType type, string key, string field) =>
                await db.Citations.SingleAsync(c => c.RecordType == type && c.Source.Key == key && c.Field == field
                    && (type == RecordType.Company
                        ? db.Companies.Any(x => x.Id == c.RecordId && x.Slug == slug)
                        : type == RecordType.FundingRound
                            ? db.FundingRounds.Any(x => x.Id == c.RecordId && x.Company.Slug == slug)
                            : db.ModelReleases.Any(x => x.Id == c.RecordId && x.Company.Slug == slug)));
            var total = await One("01-ai", RecordType.Company, "ARTICLE", "TotalRaised");
            total.IsUnverified = false;
            var release = await One("01-ai", RecordType.ModelRelease, "A5", "Licence");
            release.ReportedValue = "Yi License (at release)";
            var later = await One("01-ai", RecordType.ModelRelease, "A4", "LicenceLater");
            later.Field = "Licence";
            later.ReportedValue = "Apache-2.0 (now)";
            var upsized = await One("minimax", RecordType.FundingRound, "M15", "AmountWithOverAllotment");
            upsized.Field = "Amount";
            upsized.ReportedValue = "HK$4.8B with upsize";
            // An editor changed the 2022 founding citation since: the correction must leave it alone.
            var founded = await db.Citations.SingleAsync(c => c.Source.Key == "ARTICLE" && c.Field == "FoundedOn");
            founded.IsUnverified = false;
            founded.ReportedValue = "2022 (edited)";
            await db.Citations.Where(c => c.Field == "SeriesBRound").ExecuteDeleteAsync();
            var k12 = await db.Citations.SingleAsync(c => c.Source.Key == "K12" && c.Claim != null && c.Claim.StartsWith("K12 gives"));
            k12.Field = "LabelAsAnnounced";
            k12.ReportedValue = "Series B is the Aug 2024 round";
            var statement = await db.Citations.SingleAsync(c => c.Source.Key == "K6" && c.Claim != null && c.Claim.Contains("no rush"));
            statement.RecordType = null;
            statement.RecordId = null;
            await db.SaveChangesAsync();
            await db.SeedHistory.Where(h => h.Dataset == SeedCorrections.DatasetName).ExecuteDeleteAsync();
            Assert.Contains(await DisputesAsync(), d => d.CompanySlug == "minimax" && d.RecordType == RecordType.FundingRound && d.Field == "Amount");
        }

        var factory = TestPostgres.ContextFactory(_app.App.OwnerConnectionString); // seeding runs as the owner
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        await new SeedLoader(factory, logger).ApplyAsync();
        await new SeedLoader(factory, logger).ApplyAsync();

        await using var check = _app.Db();
        Assert.Equal(1, await check.SeedHistory.CountAsync(h => h.Dataset == SeedCorrections.DatasetName));
        Assert.True(await check.Citations.AnyAsync(c => c.Source.Key == "ARTICLE" && c.Field == "TotalRaised" && c.IsUnverified));
        Assert.True(await check.Citations.AnyAsync(c => c.Source.Key == "ARTICLE" && c.Field == "FoundedOn" && c.ReportedValue == "2022 (edited)" && !c.IsUnverified));
        Assert.Equal(2, await check.Citations.CountAsync(c => c.Field == "SeriesBRound"));
        Assert.False(await check.Citations.AnyAsync(c => c.ReportedValue != null && c.ReportedValue.StartsWith("Series B is")));
        Assert.True(await check.Citations.AnyAsync(c => c.Source.Key == "K6" && c.Claim!.Contains("no rush") && c.RecordType == RecordType.Company));
        var disputes = await DisputesAsync();
        Assert.DoesNotContain(disputes, d => d.CompanySlug == "minimax" && d.RecordType == RecordType.FundingRound && d.Field == "Amount");
        Assert.DoesNotContain(disputes, d => d.CompanySlug == "01-ai" && d.RecordType == RecordType.ModelRelease);
    }
}
