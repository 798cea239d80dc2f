using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Investors;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Investors;

/// <summary>The investor list and profile against the seeded dataset in a real PostgreSQL.</summary>
public class InvestorServiceTests : IAsyncLifetime
{
    /// <summary>Investors in Data/Seed/investors.json.</summary>
    private const int SeededInvestors = 47;

    private readonly SqlCommandCounter _counter = new();
    private ServiceProvider _services = null!;
    private InvestorService _service = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("investor_service"), _counter);
        _service = new InvestorService(_services.GetRequiredService<IDbContextFactory<AppDbContext>>());
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private async Task<IReadOnlyList<string>> SlugsFound(string search) =>
        (await _service.ListAsync(new InvestorQuery { Search = search, PageSize = 100 })).Items.Select(i => i.Slug).ToList();

    [Theory]
    [InlineData("alibaba", "alibaba")]
    [InlineData("Alibaba Group", "alibaba")] // alias
    [InlineData("阿里巴巴", "alibaba")]
    [InlineData("tencnet", "tencent")] // typo
    [InlineData("腾讯", "tencent")]
    [InlineData("sequoia china", "hongshan")] // alias
    [InlineData("红杉", "hongshan")]
    public async Task Search_finds_investors_by_english_or_chinese_name_alias_or_a_typo(string search, string slug)
    {
        Assert.Contains(slug, await SlugsFound(search));
    }

    [Fact]
    public async Task Search_narrows_the_list_and_counts_only_matches()
    {
        var page = await _service.ListAsync(new InvestorQuery { Search = "阿里巴巴" });
        Assert.Equal(page.Items.Count, page.TotalCount);
        Assert.InRange(page.TotalCount, 1, 3);
        Assert.DoesNotContain("tencent", page.Items.Select(i => i.Slug));
        Assert.Empty((await _service.ListAsync(new InvestorQuery { Search = "zzqqxx" })).Items);
        // Typo tolerance does not drag in look-alikes.
        Assert.Equal(["tencent"], await SlugsFound("tencnet"));
        Assert.Equal(["hongshan"], await SlugsFound("hongshna"));
    }

    [Fact]
    public async Task The_kind_filter_keeps_only_that_kind()
    {
        var sovereign = await _service.ListAsync(new InvestorQuery { Kind = InvestorKind.Sovereign });
        Assert.Equal("adia", Assert.Single(sovereign.Items).Slug);
        Assert.Equal(1, sovereign.TotalCount);

        var state = await _service.ListAsync(new InvestorQuery { Kind = InvestorKind.StateBackedFund, PageSize = 100 });
        Assert.Equal(16, state.TotalCount); // with SSCIC, the parent of Fortera Capital (孚腾资本)
        Assert.All(state.Items, i => Assert.Equal(InvestorKind.StateBackedFund, i.Kind));
        Assert.Contains("fortera-capital", state.Items.Select(i => i.Slug));

        var both = await _service.ListAsync(new InvestorQuery { Search = "capital", Kind = InvestorKind.VentureCapital, PageSize = 100 });
        Assert.Contains("idg-capital", both.Items.Select(i => i.Slug));
        Assert.DoesNotContain("shenzhen-capital", both.Items.Select(i => i.Slug)); // state-backed
    }

    [Fact]
    public async Task List_figures_count_distinct_companies_rounds_and_leads_including_units()
    {
        var all = (await _service.ListAsync(new InvestorQuery { PageSize = 100 })).Items.ToDictionary(i => i.Slug);
        Assert.Equal(SeededInvestors, all.Count);

        // Alibaba: Baichuan A1 + A, MiniMax 2024-03 (lead) + IPO, Moonshot B (lead) + B (Aug) + C + C extension,
        // Zhipu 2023; and through Alibaba Cloud 01.AI's Nov 2023 round (lead).
        var alibaba = all["alibaba"];
        Assert.Equal((5, 10, 3), (alibaba.CompanyCount, alibaba.RoundCount, alibaba.LeadCount));
        Assert.Equal(1, alibaba.UnitCount);
        Assert.Equal(new DateOnly(2026, 1, 9), alibaba.LatestInvestmentOn); // MiniMax's IPO, a day-precise date
        Assert.Equal(DatePrecision.Day, alibaba.LatestInvestmentPrecision);
        Assert.Equal("阿里巴巴", alibaba.NameZh);
        Assert.Equal("CN", alibaba.Country);

        var cloud = all["alibaba-cloud"];
        Assert.Equal((1, 1, 1), (cloud.CompanyCount, cloud.RoundCount, cloud.LeadCount));
        Assert.Equal("alibaba", cloud.Parent!.Slug);

        var tencent = all["tencent"];
        Assert.Equal((5, 9, 0), (tencent.CompanyCount, tencent.RoundCount, tencent.LeadCount));
        Assert.Equal(new DateOnly(2026, 1, 26), tencent.LatestInvestmentOn);

        // DeepSeek's parent has funded it but no round is recorded: no figures, no date, rather than a made-up one.
        var highFlyer = all["high-flyer"];
        Assert.Equal((0, 0, 0), (highFlyer.CompanyCount, highFlyer.RoundCount, highFlyer.LeadCount));
        Assert.Null(highFlyer.LatestInvestmentOn);
    }

    [Fact]
    public async Task Sorting_happens_in_sql_by_any_column_with_empty_figures_last()
    {
        var byRounds = (await _service.ListAsync(new InvestorQuery { Sort = InvestorSort.Rounds, Descending = true, PageSize = 100 })).Items;
        Assert.Equal(["alibaba", "tencent"], byRounds.Take(2).Select(i => i.Slug));
        Assert.Equal(byRounds.Select(i => i.RoundCount).OrderDescending(), byRounds.Select(i => i.RoundCount));

        var byLeads = (await _service.ListAsync(new InvestorQuery { Sort = InvestorSort.Leads, Descending = true, PageSize = 5 })).Items;
        Assert.Equal("alibaba", byLeads[0].Slug);

        var byCompaniesAsc = (await _service.ListAsync(new InvestorQuery { Sort = InvestorSort.Companies, PageSize = 100 })).Items;
        Assert.Equal(byCompaniesAsc.Select(i => i.CompanyCount).Order(), byCompaniesAsc.Select(i => i.CompanyCount));

        foreach (var descending in new[] { true, false })
        {
            var byLatest = (await _service.ListAsync(new InvestorQuery
            {
                Sort = InvestorSort.LatestInvestment, Descending = descending, PageSize = 100,
            })).Items;
            Assert.Equal("high-flyer", byLatest[^1].Slug); // no dated round: last in both directions
            var dates = byLatest.Where(i => i.LatestInvestmentOn is not null).Select(i => i.LatestInvestmentOn!.Value).ToList();
            Assert.Equal(descending ? dates.OrderDescending() : dates.Order(), dates);
        }

        var byKind = (await _service.ListAsync(new InvestorQuery { Sort = InvestorSort.Kind, PageSize = 100 })).Items;
        Assert.Equal(InvestorKind.Angel, byKind[0].Kind);

        var byNameDesc = (await _service.ListAsync(new InvestorQuery { Sort = InvestorSort.Name, Descending = true, PageSize = 100 })).Items;
        var byName = (await _service.ListAsync(new InvestorQuery { PageSize = 100 })).Items;
        Assert.Equal(byName.Select(i => i.Slug).Reverse(), byNameDesc.Select(i => i.Slug));
    }

    [Fact]
    public async Task Pages_are_cut_in_sql_cover_every_investor_once_and_cost_two_commands_whatever_their_size()
    {
        var seen = new List<string>();
        for (var page = 0; page < 5; page++)
        {
            _counter.Reset();
            var result = await _service.ListAsync(new InvestorQuery { Page = page, PageSize = 10 });
            Assert.Equal(2, _counter.Count);
            Assert.Equal(SeededInvestors, result.TotalCount);
            Assert.Equal(page < 4 ? 10 : 7, result.Items.Count);
            seen.AddRange(result.Items.Select(i => i.Slug));
        }
        Assert.Equal(SeededInvestors, seen.Distinct().Count());

        _counter.Reset();
        await _service.ListAsync(new InvestorQuery { PageSize = 100, Sort = InvestorSort.Rounds, Descending = true, Search = "capital" });
        Assert.Equal(2, _counter.Count);
    }

    [Fact]
    public async Task Alibabas_profile_includes_its_units_rounds_and_the_companies_it_backs()
    {
        var alibaba = await _service.GetProfileAsync("alibaba");
        Assert.NotNull(alibaba);
        Assert.Equal("阿里巴巴", alibaba.NameZh);
        Assert.Equal(InvestorKind.CorporateStrategic, alibaba.Kind);
        Assert.Contains("Alibaba Group", alibaba.Aliases);
        Assert.Null(alibaba.Parent);
        Assert.Equal("alibaba-cloud", Assert.Single(alibaba.Units).Slug);

        Assert.Equal(["01-ai", "baichuan", "minimax", "moonshot-ai", "zhipu-ai"],
            alibaba.Portfolio.Select(c => c.Slug).Order(StringComparer.Ordinal));
        Assert.Equal((5, 10, 3), (alibaba.Figures.CompanyCount, alibaba.Figures.RoundCount, alibaba.Figures.LeadCount));

        // Zhipu's 2023 rounds are dated only by year; MiniMax's IPO to the day.
        Assert.Equal(new DateOnly(2023, 1, 1), alibaba.Figures.FirstInvestmentOn);
        Assert.Equal(DatePrecision.Year, alibaba.Figures.FirstInvestmentPrecision);
        Assert.Equal(new DateOnly(2026, 1, 9), alibaba.Figures.LatestInvestmentOn);
        Assert.Equal(DatePrecision.Day, alibaba.Figures.LatestInvestmentPrecision);

        // 01.AI came in through Alibaba Cloud, which led the round; the amount was never disclosed.
        var zeroOne = Assert.Single(alibaba.Portfolio.Single(c => c.Slug == "01-ai").Rounds);
        Assert.True(zeroOne.IsLead);
        Assert.Equal("alibaba-cloud", Assert.Single(zeroOne.Via).Slug);
        Assert.Equal(Disclosure.Undisclosed, zeroOne.Size.Disclosure);
        Assert.Null(zeroOne.Size.Headline);
        Assert.Null(zeroOne.Size.Usd);

        var moonshot = alibaba.Portfolio.Single(c => c.Slug == "moonshot-ai");
        Assert.Equal(4, moonshot.Rounds.Count);
        Assert.Equal("月之暗面", moonshot.NameZh);
        var seriesB = moonshot.Rounds.Single(r => r.AnnouncedOn == new DateOnly(2024, 2, 1));
        Assert.True(seriesB.IsLead);
        Assert.Empty(seriesB.Via);
        Assert.Equal((1_000_000_000m, FigureQualifier.AtLeast), seriesB.Size.Headline); // "over US$1B"

        var ipo = alibaba.Rounds.Single(r => r.Stage == RoundStage.Ipo);
        Assert.Equal("HKD", ipo.Size.Currency);
        Assert.Equal(4_190_000_000m, ipo.Size.Headline!.Value.Amount);
        Assert.NotNull(ipo.Size.Usd);

        // Newest first, undated rounds (none here) last.
        Assert.Equal(alibaba.Rounds.Select(r => r.AnnouncedOn).OrderDescending(), alibaba.Rounds.Select(r => r.AnnouncedOn));
    }

    [Fact]
    public async Task A_units_profile_shows_only_its_own_rounds_and_links_its_parent()
    {
        var cloud = await _service.GetProfileAsync("alibaba-cloud");
        Assert.NotNull(cloud);
        Assert.Equal("alibaba", cloud.Parent!.Slug);
        Assert.Equal("阿里巴巴", cloud.Parent.NameZh);
        Assert.Empty(cloud.Units);
        Assert.Equal("01-ai", Assert.Single(cloud.Portfolio).Slug);
        Assert.Empty(Assert.Single(cloud.Rounds).Via);
        Assert.Empty(cloud.CoInvestors); // it was alone in 01.AI's round
    }

    [Fact]
    public async Task Co_investors_are_ranked_by_the_rounds_they_shared()
    {
        // Tencent's nine rounds, from the seed files:
        //   Alibaba 6: Baichuan A1 and A, Moonshot Aug 2024 B, C and C extension, Zhipu 2023.
        //   Xiaomi 3: Baichuan A1 and A, Zhipu 2023.
        //   5Y Capital 2 (Moonshot C extension, StepFun B: 2 companies); Shunwei 2 (Baichuan A1, Zhipu 2023:
        //   2 companies); Qiming 2 (StepFun B and B+: 1 company). Ties go to more companies, then the name.
        var tencent = await _service.GetProfileAsync("tencent");
        Assert.NotNull(tencent);
        Assert.Equal(
            [("alibaba", 6, 3), ("xiaomi", 3, 2), ("5y-capital", 2, 2), ("shunwei", 2, 2), ("qiming", 2, 1)],
            tencent.CoInvestors.Take(5).Select(c => (c.Slug, c.SharedRounds, c.SharedCompanies)));
        Assert.All(tencent.CoInvestors.Skip(5), c => Assert.Equal(1, c.SharedRounds));
        Assert.DoesNotContain("tencent", tencent.CoInvestors.Select(c => c.Slug));
        Assert.Equal(tencent.CoInvestors.Count, tencent.CoInvestors.Select(c => c.Slug).Distinct().Count());

        // From Alibaba's side the same pair shares the same six rounds; its own unit is not its co-investor.
        var alibaba = await _service.GetProfileAsync("alibaba");
        Assert.Equal(("tencent", 6), (alibaba!.CoInvestors[0].Slug, alibaba.CoInvestors[0].SharedRounds));
        Assert.DoesNotContain(alibaba.CoInvestors, c => c.Slug is "alibaba" or "alibaba-cloud");
    }

    [Fact]
    public async Task The_profile_carries_the_sources_of_the_investor_its_participations_and_round_sizes()
    {
        var alibaba = await _service.GetProfileAsync("alibaba");
        Assert.NotNull(alibaba);
        Assert.NotEmpty(alibaba.InvestorSources);
        Assert.Contains(alibaba.InvestorSources, c => c.SourceKey == "A1"); // Alibaba Cloud's, part of the group

        var seriesB = alibaba.Rounds.Single(r => r.CompanySlug == "moonshot-ai" && r.AnnouncedOn == new DateOnly(2024, 2, 1));
        Assert.Contains(alibaba.ParticipationSources(seriesB), c => c.SourceKey == "K2");
        // The round size cites the amount's and the round's general sources, not its label's (those only mark a dispute).
        Assert.All(alibaba.AmountSources(seriesB), c => Assert.True(c.Field is null or "Amount"));
        Assert.Contains(alibaba.AmountSources(seriesB), c => c.SourceKey == "K3");

        // Every citation shown on the page is in the index the source list at the bottom is built from.
        Assert.Contains(alibaba.CitationIndex.All, c => c.SourceKey == "K2");
    }

    [Fact]
    public async Task An_unknown_slug_has_no_profile_and_costs_one_command()
    {
        _counter.Reset();
        Assert.Null(await _service.GetProfileAsync("no-such-investor"));
        Assert.Equal(1, _counter.Count);
    }

    [Fact]
    public async Task A_profile_costs_the_same_few_commands_for_one_round_or_many()
    {
        var costs = new Dictionary<string, int>();
        foreach (var slug in new[] { "prosperity7", "tencent", "alibaba", "high-flyer" })
        {
            _counter.Reset();
            var profile = await _service.GetProfileAsync(slug);
            Assert.NotNull(profile);
            costs[slug] = _counter.Count;
        }
        Assert.Equal(1, (await _service.GetProfileAsync("prosperity7"))!.Figures.RoundCount);
        Assert.Equal(9, (await _service.GetProfileAsync("tencent"))!.Figures.RoundCount);
        // Issue 12's budget: at most four per render, whatever the number of rounds.
        Assert.All(costs.Values, c => Assert.Equal(4, c));
    }
}
