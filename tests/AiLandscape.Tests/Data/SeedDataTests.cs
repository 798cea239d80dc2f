using System.Globalization;
using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Data;

/// <summary>The seeded database holds the headline facts of seed-facts.md, with their sources.</summary>
public class SeedDataTests : IAsyncLifetime
{
    private IDbContextFactory<AppDbContext> _factory = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _factory = TestPostgres.ContextFactory(await pg.CreateDatabaseAsync("seed_data"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_seven_companies_are_there_with_their_chinese_names()
    {
        await using var db = await _factory.CreateDbContextAsync();
        var names = await db.Companies.ToDictionaryAsync(c => c.Slug, c => c.NameZh);
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["01-ai"] = "零一万物", ["deepseek"] = "深度求索", ["minimax"] = "稀宇科技", ["moonshot-ai"] = "月之暗面",
                ["zhipu-ai"] = "智谱", ["baichuan"] = "百川智能", ["stepfun"] = "阶跃星辰",
            },
            names);
    }

    [Fact]
    public async Task MiniMax_listed_on_HKEX_on_9_January_2026_as_0100()
    {
        await using var db = await _factory.CreateDbContextAsync();
        var minimax = await db.Companies.SingleAsync(c => c.Slug == "minimax");
        Assert.Equal(CompanyStatus.Public, minimax.Status);
        Assert.Equal("HKEX", minimax.ListingVenue);
        Assert.Equal("0100", minimax.Ticker);
        Assert.Equal(new DateOnly(2026, 1, 9), minimax.ListedOn);
        Assert.True(await db.CompanyEvents.AnyAsync(e =>
            e.CompanyId == minimax.Id && e.Kind == CompanyEventKind.Listing && e.OccurredOn == new DateOnly(2026, 1, 9)));
    }

    [Fact]
    public async Task Zhipu_listed_on_HKEX_on_8_January_2026_as_2513()
    {
        await using var db = await _factory.CreateDbContextAsync();
        var zhipu = await db.Companies.SingleAsync(c => c.Slug == "zhipu-ai");
        Assert.Equal(CompanyStatus.Public, zhipu.Status);
        Assert.Equal("HKEX", zhipu.ListingVenue);
        Assert.Equal("2513", zhipu.Ticker);
        Assert.Equal(new DateOnly(2026, 1, 8), zhipu.ListedOn);
    }

    [Fact]
    public async Task Moonshots_Series_C_raised_500M_USD_at_4_3B_post_money_led_by_IDG()
    {
        await using var db = await _factory.CreateDbContextAsync();
        var round = await db.FundingRounds
            .Include(r => r.Participations).ThenInclude(p => p.Investor)
            .SingleAsync(r => r.Company.Slug == "moonshot-ai" && r.Stage == RoundStage.SeriesC &&
                              r.AnnouncedOn == new DateOnly(2025, 12, 31));
        Assert.Equal(Disclosure.Disclosed, round.Disclosure);
        Assert.Equal("USD", round.Currency);
        Assert.Equal(500_000_000m, round.Amount);
        Assert.Equal(4_300_000_000m, round.PostMoneyValuation);
        Assert.Equal("USD", round.PostMoneyCurrency);
        var lead = Assert.Single(round.Participations, p => p.IsLead);
        Assert.Equal("idg-capital", lead.Investor.Slug);
        Assert.Equal(150_000_000m, lead.Amount);
        Assert.Contains(round.Participations, p => p.Investor.Slug == "alibaba" && !p.IsLead);
        Assert.Contains(round.Participations, p => p.Investor.Slug == "tencent" && !p.IsLead);
    }

    [Fact]
    public async Task DeepSeek_has_no_outside_round_and_no_valuation()
    {
        await using var db = await _factory.CreateDbContextAsync();
        Assert.False(await db.FundingRounds.AnyAsync(r => r.Company.Slug == "deepseek"));
        Assert.False(await db.ValuationPoints.AnyAsync(v => v.Company.Slug == "deepseek"));
        Assert.True(await db.ModelReleases.AnyAsync(m => m.Company.Slug == "deepseek" && m.Name.Contains("R1") && m.Licence == "MIT"));
    }

    [Fact]
    public async Task The_01AI_founding_year_is_2023_and_the_articles_2022_is_kept_as_a_conflicting_citation()
    {
        await using var db = await _factory.CreateDbContextAsync();
        var company = await db.Companies.SingleAsync(c => c.Slug == "01-ai");
        Assert.Equal(2023, company.FoundedOn?.Year);
        Assert.Equal(DatePrecision.Year, company.FoundedPrecision);

        var reported = await db.Citations
            .Where(c => c.RecordType == RecordType.Company && c.RecordId == company.Id && c.Field == "FoundedOn")
            .Select(c => new { c.Source.Key, c.ReportedValue })
            .ToListAsync();
        Assert.Contains(reported, r => r.Key == "ARTICLE" && r.ReportedValue!.Contains("2022"));
        Assert.Contains(reported, r => r.Key == "A3" && r.ReportedValue!.Contains("2023"));
        Assert.True(reported.Select(r => r.ReportedValue).Distinct().Count() > 1, "the founding date must be disputed");
    }

    [Theory]
    [InlineData("minimax", "FoundedOn")]
    [InlineData("baichuan", "FoundedOn")]
    [InlineData("deepseek", "FoundedOn")]
    [InlineData("moonshot-ai", "HeadquartersCity")]
    [InlineData("stepfun", "HeadquartersCity")]
    public async Task Known_company_conflicts_keep_every_reported_value_with_its_source(string slug, string field)
    {
        await using var db = await _factory.CreateDbContextAsync();
        var id = await db.Companies.Where(c => c.Slug == slug).Select(c => c.Id).SingleAsync();
        var values = await db.Citations
            .Where(c => c.RecordType == RecordType.Company && c.RecordId == id && c.Field == field && c.ReportedValue != null)
            .Select(c => c.ReportedValue).Distinct().ToListAsync();
        Assert.True(values.Count >= 2, $"{slug}.{field} should be disputed, found: {string.Join(" | ", values)}");
    }

    [Fact]
    public async Task The_DeepSeek_V3_licence_conflict_is_kept_side_by_side()
    {
        await using var db = await _factory.CreateDbContextAsync();
        var v3 = await db.ModelReleases.SingleAsync(m => m.Company.Slug == "deepseek" && m.ReleasedOn == new DateOnly(2024, 12, 26));
        var values = await db.Citations
            .Where(c => c.RecordType == RecordType.ModelRelease && c.RecordId == v3.Id && c.Field == "Licence")
            .Select(c => new { c.Source.Key, c.ReportedValue }).ToListAsync();
        Assert.Contains(values, v => v.Key == "D8");
        Assert.Contains(values, v => v.Key == "D7" && v.ReportedValue == "MIT");
    }

    [Fact]
    public async Task Every_round_valuation_event_and_model_cites_at_least_one_source()
    {
        await using var db = await _factory.CreateDbContextAsync();
        var cited = await db.Citations.Where(c => c.RecordType != null)
            .Select(c => new { c.RecordType, c.RecordId }).Distinct().ToListAsync();
        var set = cited.Select(c => (c.RecordType!.Value, c.RecordId!.Value)).ToHashSet();

        var missing = new List<string>();
        missing.AddRange((await db.FundingRounds.Select(r => new { r.Id, r.Company.Slug, r.LabelAsAnnounced }).ToListAsync())
            .Where(r => !set.Contains((RecordType.FundingRound, r.Id))).Select(r => $"round {r.Slug} {r.LabelAsAnnounced}"));
        missing.AddRange((await db.ValuationPoints.Select(v => new { v.Id, v.Company.Slug }).ToListAsync())
            .Where(v => !set.Contains((RecordType.ValuationPoint, v.Id))).Select(v => $"valuation {v.Slug} #{v.Id}"));
        missing.AddRange((await db.CompanyEvents.Select(e => new { e.Id, e.Title }).ToListAsync())
            .Where(e => !set.Contains((RecordType.CompanyEvent, e.Id))).Select(e => $"event {e.Title}"));
        missing.AddRange((await db.ModelReleases.Select(m => new { m.Id, m.Name }).ToListAsync())
            .Where(m => !set.Contains((RecordType.ModelRelease, m.Id))).Select(m => $"model {m.Name}"));
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Undisclosed_amounts_are_empty_never_zero()
    {
        await using var db = await _factory.CreateDbContextAsync();
        Assert.False(await db.FundingRounds.AnyAsync(r => r.Amount == 0 || r.AmountMin == 0 || r.PostMoneyValuation == 0));
        Assert.False(await db.ValuationPoints.AnyAsync(v => v.Amount == 0));
        var undisclosed = await db.FundingRounds.Where(r => r.Disclosure == Disclosure.Undisclosed).ToListAsync();
        Assert.NotEmpty(undisclosed);
        Assert.All(undisclosed, r => Assert.True(r.Amount is null && r.AmountMin is null && r.AmountMax is null));
    }

    [Fact]
    public async Task Unverified_figures_stay_flagged_out_of_headlines()
    {
        await using var db = await _factory.CreateDbContextAsync();
        // Zhipu's ¥20B Qichacha valuation (Jul 2024) has no reliable source.
        var qichacha = await db.ValuationPoints.SingleAsync(v =>
            v.Company.Slug == "zhipu-ai" && v.Currency == "CNY" && v.Amount == 20_000_000_000m);
        Assert.True(qichacha.IsUnverified);
        // 01.AI's "raising up to US$200M" round was never confirmed as closed.
        Assert.True(await db.FundingRounds.AnyAsync(r => r.Company.Slug == "01-ai" && r.Status == RoundStatus.InProgress));
    }

    [Fact]
    public async Task The_source_article_is_a_source_carrying_its_claims()
    {
        await using var db = await _factory.CreateDbContextAsync();
        var article = await db.Sources.Include(s => s.Citations).SingleAsync(s => s.Key == "ARTICLE");
        Assert.Equal("de", article.Language);
        Assert.Contains(article.Citations, c => c.RecordType == null && c.Claim!.Contains("70"));
        Assert.Contains(article.Citations, c => c.RecordType == RecordType.Company && c.Field == "FoundedOn");
    }

    [Fact]
    public async Task Exchange_rates_match_the_FRED_reference_table()
    {
        var csv = Path.Combine(RepoPaths.Root, "tests", "ReferenceData", "fx-usd-cny.csv");
        Assert.True(File.Exists(csv), $"Expected the FRED reference table at {csv} (it is part of the repository).");
        var expected = File.ReadLines(csv)
            .Where(l => l.Length > 0 && char.IsDigit(l[0]))
            .Select(l => l.Split(','))
            .ToDictionary(p => DateOnly.ParseExact(p[0] + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture),
                p => decimal.Parse(p[2], CultureInfo.InvariantCulture));

        await using var db = await _factory.CreateDbContextAsync();
        var stored = await db.ExchangeRates.Where(r => r.Currency == "CNY")
            .ToDictionaryAsync(r => r.Month, r => r.UnitsPerUsd);
        Assert.Equal(expected.OrderBy(e => e.Key), stored.OrderBy(e => e.Key));
        Assert.True(await db.ExchangeRates.AllAsync(r => r.Source!.Key == "FRED"));
    }

    [Fact]
    public async Task The_Six_Tigers_are_grouped()
    {
        await using var db = await _factory.CreateDbContextAsync();
        var tigers = await db.Companies.Where(c => c.Groups.Contains("Six Tigers")).Select(c => c.Slug).ToListAsync();
        Assert.Equal(["01-ai", "baichuan", "minimax", "moonshot-ai", "stepfun", "zhipu-ai"], tigers.Order());
    }
}
