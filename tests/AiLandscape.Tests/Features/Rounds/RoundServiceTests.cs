using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Rounds;

/// <summary>
/// The rounds list over the seed dataset (27 rounds). Expected figures are worked out by hand from the seed JSON:
/// CNY amounts over the FRED monthly average of the round's month or the nearest earlier stored month, HKD over the
/// 7.80 peg midpoint, ranges at their minimum.
/// </summary>
public class RoundServiceTests : IAsyncLifetime
{
    private readonly SqlCommandCounter _counter = new();
    private ServiceProvider _services = null!;
    private RoundService _service = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("round_service"), _counter);
        _service = new RoundService(_services.GetRequiredService<IDbContextFactory<AppDbContext>>());
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private Task<RoundListResult> List(RoundQuery query) => _service.ListAsync(query with { PageSize = 100 });

    private static string Key(RoundListItem r) => $"{r.CompanySlug} {r.AnnouncedOn:yyyy-MM-dd}";

    [Fact]
    public async Task Every_round_is_listed_and_the_total_adds_only_completed_private_verified_rounds()
    {
        var all = await List(new RoundQuery());

        Assert.Equal(27, all.TotalCount);
        Assert.Equal(27, all.Items.Count);
        // The two HKEX IPOs and 01.AI's round still being raised are listed but not added.
        Assert.Equal(3, all.NotAddedCount);
        Assert.Equal(24, all.Total.RoundCount);
        // 01.AI Nov 2023, MiniMax's strategic round and its Pre-B+/Pre-B++: counted, never added as zero.
        Assert.Equal(3, all.Total.UndisclosedCount);
        // Zhipu's year-dated CNY rounds (2019 ¥40M, 2023 ¥2.5B) convert at their year's average stored rate (ADR 0013).
        Assert.Equal(6_947_951_785m, all.Total.Usd);
        Assert.True(all.Total.IsLowerBound);
        Assert.Equal("27 rounds · ≥ US$6.95B; 3 rounds undisclosed", RoundFormat.Summary(all));
    }

    [Fact]
    public async Task Moonshot_AIs_four_rounds_add_up_to_at_least_2_5_billion_dollars()
    {
        foreach (var name in new[] { "Moonshot", "月之暗面", "kimi", "yuezhi anmian" })
        {
            var moonshot = await List(new RoundQuery { Company = name });

            Assert.Equal(4, moonshot.TotalCount);
            Assert.All(moonshot.Items, r => Assert.Equal("moonshot-ai", r.CompanySlug));
            // >US$1B (Feb 2024) + >US$300M (Aug 2024) + US$500M (Dec 2025) + >US$700M (Jan 2026)
            Assert.Equal(2_500_000_000m, moonshot.Total.Usd);
            Assert.Equal(3, moonshot.Total.RangeCount);
            Assert.Equal(0, moonshot.Total.UndisclosedCount);
            Assert.Equal("4 rounds · ≥ US$2.5B", RoundFormat.Summary(moonshot));
        }
    }

    [Fact]
    public async Task A_date_range_keeps_the_rounds_announced_within_it_and_drops_undated_ones()
    {
        var in2024 = await List(new RoundQuery { From = new DateOnly(2024, 1, 1), To = new DateOnly(2024, 12, 31) });

        Assert.Equal(7, in2024.TotalCount);
        Assert.All(in2024.Items, r => Assert.Equal(2024, r.AnnouncedOn!.Value.Year));
        // Baichuan ¥5B (Jul 2024 at the Jun 2024 rate 7.2547) + MiniMax US$600M + Moonshot >US$1B and >US$300M
        // + StepFun "hundreds of millions of dollars" (≥ US$100M) + Zhipu US$400M + Zhipu ¥3B (Dec 2024 at 7.2807)
        Assert.Equal(689_208_375m + 600_000_000m + 1_300_000_000m + 100_000_000m + 400_000_000m + 412_048_292m,
            in2024.Total.Usd);

        var fromOnly = await List(new RoundQuery { From = new DateOnly(2026, 1, 1) });
        Assert.Equal(["minimax 2026-01-09", "moonshot-ai 2026-01-01", "stepfun 2026-01-26", "zhipu-ai 2026-01-08"],
            fromOnly.Items.Select(Key).Order());

        var toOnly = await List(new RoundQuery { To = new DateOnly(2021, 12, 31) });
        Assert.Equal(["zhipu-ai 2019-01-01"], toOnly.Items.Select(Key));
    }

    [Fact]
    public async Task Stages_filter_by_the_standard_stage_not_the_label()
    {
        var seriesB = await List(new RoundQuery { Stages = [RoundStage.SeriesB] });
        Assert.Equal(5, seriesB.TotalCount);
        Assert.All(seriesB.Items, r => Assert.Equal(RoundStage.SeriesB, r.Stage));
        Assert.Contains(seriesB.Items, r => r.LabelAsAnnounced == "Series B+");

        var bOrC = await List(new RoundQuery { Stages = [RoundStage.SeriesB, RoundStage.SeriesC] });
        Assert.Equal(7, bOrC.TotalCount);
        // The Moonshot "expansion" round is a Series C extension.
        Assert.Contains(bOrC.Items, r => r.LabelAsAnnounced == "expansion" && r.Stage == RoundStage.SeriesC);
    }

    [Fact]
    public async Task The_usd_amount_filter_converts_a_cny_round_at_its_months_rate()
    {
        // Baichuan's ¥5B Series A (Jul 2024) is ≈ US$689.2M at the Jun 2024 average (7.2547 CNY/USD): inside
        // 680–690. StepFun's ≥ ¥5B (Jan 2026, ≈ US$697.0M at the Jul 2025 rate) and MiniMax's US$600M are outside.
        var result = await List(new RoundQuery { MinUsdMillions = 680, MaxUsdMillions = 690 });

        var baichuan = Assert.Single(result.Items);
        Assert.Equal("baichuan", baichuan.CompanySlug);
        Assert.Equal("CNY", baichuan.Size.Currency);
        Assert.Equal(5_000_000_000m, baichuan.Size.Amount);
        Assert.Equal(689_208_375m, Math.Round(baichuan.ComparableUsd!.Value));
        Assert.Equal(689_208_375m, baichuan.Size.AmountUsd!.Usd);
        Assert.Equal(1, result.TotalCount);
    }

    [Fact]
    public async Task Amount_filters_compare_a_range_by_its_minimum_and_leave_undisclosed_rounds_out()
    {
        var atLeast500 = await List(new RoundQuery { MinUsdMillions = 500 });
        // Moonshot >US$1B, >US$700M, US$500M; StepFun ≥ ¥5B; Baichuan ¥5B; MiniMax US$600M; the two HKEX IPOs
        // (HK$4.35B and HK$4.19B at the 7.80 peg: ≈ US$558M and US$537M).
        Assert.Equal(8, atLeast500.TotalCount);
        Assert.DoesNotContain(atLeast500.Items, r => r.Size.Disclosure == Disclosure.Undisclosed);
        Assert.Contains(atLeast500.Items, r => r.Size.Currency == "HKD" && r.CompanySlug == "zhipu-ai");

        // StepFun's "hundreds of millions of yuan" (¥100M–1B, Sep 2022 rate 7.0195) is ≈ US$14.2M at its minimum.
        var upTo15 = await List(new RoundQuery { MaxUsdMillions = 15 });
        Assert.Equal(["zhipu-ai 2019-01-01", "zhipu-ai 2022-09-01"], upTo15.Items.Select(Key).Order());

        var undisclosedWithAmount = await List(new RoundQuery { MinUsdMillions = 0, Disclosures = [Disclosure.Undisclosed] });
        Assert.Equal(0, undisclosedWithAmount.TotalCount);
        Assert.Equal("No rounds", RoundFormat.Summary(undisclosedWithAmount));
    }

    [Fact]
    public async Task Undisclosed_rounds_are_counted_not_summed()
    {
        var undisclosed = await List(new RoundQuery { Disclosures = [Disclosure.Undisclosed] });

        Assert.Equal(3, undisclosed.TotalCount);
        Assert.All(undisclosed.Items, r =>
        {
            Assert.Null(r.Size.Amount);
            Assert.Null(r.Size.AmountUsd);
            Assert.Null(r.ComparableUsd);
        });
        Assert.Equal(3, undisclosed.Total.UndisclosedCount);
        Assert.False(undisclosed.Total.HasAnyAmount);
        Assert.Equal(0m, undisclosed.Total.Usd);
        Assert.Equal("3 rounds · Undisclosed (3 rounds)", RoundFormat.Summary(undisclosed));

        var ranges = await List(new RoundQuery { Disclosures = [Disclosure.Range] });
        Assert.Equal(10, ranges.TotalCount);
        Assert.Equal(1, ranges.NotAddedCount); // 01.AI "up to US$200M", still being raised
    }

    [Fact]
    public async Task Unverified_rounds_and_rounds_being_raised_are_listed_but_not_added()
    {
        // A database of its own: this test changes data the other tests count on.
        var pg = await TestPostgres.GetAsync();
        await using var services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("round_unverified"));
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.FundingRounds
                .Where(r => r.Company.Slug == "minimax" && r.AnnouncedOn == new DateOnly(2024, 3, 1))
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.IsUnverified, true));
        }
        var service = new RoundService(factory);

        var minimax = await service.ListAsync(new RoundQuery { Company = "MiniMax", PageSize = 100 });
        Assert.Equal(7, minimax.TotalCount);
        Assert.Equal(new DateOnly(2024, 3, 1), Assert.Single(minimax.Items, r => r.IsUnverified).AnnouncedOn);
        Assert.Equal(2, minimax.NotAddedCount); // the HKEX IPO and the unverified US$600M
        Assert.Equal(1_180_000_000m - 600_000_000m, minimax.Total.Usd);

        var zeroOne = await service.ListAsync(new RoundQuery { Company = "01.AI", PageSize = 100 });
        var raising = Assert.Single(zeroOne.Items, r => r.Status == RoundStatus.InProgress);
        Assert.Equal(200_000_000m, raising.Size.AmountMax);
        Assert.Equal(1, zeroOne.NotAddedCount);
        Assert.Equal("2 rounds · Undisclosed (1 round)", RoundFormat.Summary(zeroOne));
    }

    [Fact]
    public async Task Investors_are_found_by_name_in_either_script_and_through_their_units()
    {
        var tencent = await List(new RoundQuery { Investor = "Tencent" });
        Assert.Equal(9, tencent.TotalCount);
        Assert.All(tencent.Items, r => Assert.Contains(r.Leads.Concat(r.OtherInvestors), i => i.Slug == "tencent"));

        var tencentZh = await List(new RoundQuery { Investor = "腾讯" });
        Assert.Equal(9, tencentZh.TotalCount);

        // "Alibaba" also finds the round Alibaba Cloud led.
        var alibaba = await List(new RoundQuery { Investor = "alibaba" });
        Assert.Equal(10, alibaba.TotalCount);
        var zeroOne = Assert.Single(alibaba.Items, r => r.CompanySlug == "01-ai");
        Assert.Equal("alibaba-cloud", Assert.Single(zeroOne.Leads).Slug);

        var qiming = await List(new RoundQuery { Investor = "Qiming Venture Partners" });
        Assert.Equal(3, qiming.TotalCount);

        var nobody = await List(new RoundQuery { Investor = "no such investor anywhere" });
        Assert.Equal(0, nobody.TotalCount);
        Assert.Empty(nobody.Items);
    }

    [Fact]
    public async Task Currencies_filter_by_the_reported_currency()
    {
        var cny = await List(new RoundQuery { Currencies = ["CNY"] });
        Assert.Equal(9, cny.TotalCount);
        Assert.All(cny.Items, r => Assert.Equal("CNY", r.Size.Currency));
        Assert.Equal(2_417_951_785m, cny.Total.Usd);

        // Only the two HKEX IPOs are in HKD: listed, but IPO proceeds are not "raised".
        var hkd = await List(new RoundQuery { Currencies = ["HKD"] });
        Assert.Equal(2, hkd.TotalCount);
        Assert.Equal(2, hkd.NotAddedCount);
        Assert.Equal(0, hkd.Total.RoundCount);
        Assert.Equal("2 rounds · nothing to add up", RoundFormat.Summary(hkd));

        var strategicInCny = await List(new RoundQuery { Currencies = ["CNY"], Stages = [RoundStage.Strategic] });
        Assert.Equal(3, strategicInCny.TotalCount);
        Assert.All(strategicInCny.Items, r => Assert.Equal("zhipu-ai", r.CompanySlug));

        var options = await _service.GetFilterOptionsAsync();
        Assert.Equal(["CNY", "HKD", "USD"], options.Currencies);
    }

    [Fact]
    public async Task Sorting_by_amount_uses_usd_with_rounds_without_a_figure_last_either_way()
    {
        var largest = await List(new RoundQuery { Sort = RoundSort.Amount, Descending = true });
        Assert.Equal(
            ["moonshot-ai 2024-02-01", "moonshot-ai 2026-01-01", "stepfun 2026-01-26", "baichuan 2024-07-01", "minimax 2024-03-01"],
            largest.Items.Take(5).Select(Key));
        var figures = largest.Items.Select(r => r.ComparableUsd).ToList();
        Assert.Equal(figures.Take(23).OrderDescending(), figures.Take(23));
        Assert.All(largest.Items.Skip(23), r => Assert.Null(r.ComparableUsd));

        var smallest = await List(new RoundQuery { Sort = RoundSort.Amount, Descending = false });
        Assert.Equal("zhipu-ai 2019-01-01", Key(smallest.Items[0]));
        Assert.Equal(smallest.Items.Take(23).Select(r => r.ComparableUsd).Order(), smallest.Items.Take(23).Select(r => r.ComparableUsd));
        Assert.All(smallest.Items.Skip(23), r => Assert.Null(r.ComparableUsd));
    }

    [Fact]
    public async Task Sorting_by_date_puts_undated_rounds_last_either_way()
    {
        var newest = await List(new RoundQuery());
        Assert.Equal(["stepfun 2026-01-26", "minimax 2026-01-09", "zhipu-ai 2026-01-08"], newest.Items.Take(3).Select(Key));
        Assert.All(newest.Items.Skip(25), r => Assert.Null(r.AnnouncedOn));

        var oldest = await List(new RoundQuery { Descending = false });
        Assert.Equal(["zhipu-ai 2019-01-01", "minimax 2022-01-01"], oldest.Items.Take(2).Select(Key));
        Assert.All(oldest.Items.Skip(25), r => Assert.Null(r.AnnouncedOn));
        var dates = oldest.Items.Take(25).Select(r => r.AnnouncedOn!.Value).ToList();
        Assert.Equal(dates.Order(), dates);
    }

    [Fact]
    public async Task Sorting_by_company_and_by_stage()
    {
        var byCompany = await List(new RoundQuery { Sort = RoundSort.Company, Descending = false });
        Assert.Equal("01-ai", byCompany.Items[0].CompanySlug);
        Assert.Equal("zhipu-ai", byCompany.Items[^1].CompanySlug);
        var names = byCompany.Items.Select(r => r.CompanyNameEn).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);

        // Stages sort in their natural order (not alphabetically); unnamed rounds come last.
        var byStage = await List(new RoundQuery { Sort = RoundSort.Stage, Descending = false });
        Assert.Equal(RoundStage.Angel, byStage.Items[0].Stage);
        Assert.Equal(RoundStage.Unnamed, byStage.Items[^1].Stage);
        var stages = byStage.Items.Select(r => r.Stage).Distinct().ToList();
        Assert.Equal([RoundStage.Angel, RoundStage.SeriesA, RoundStage.SeriesB, RoundStage.SeriesC, RoundStage.Strategic,
            RoundStage.Ipo, RoundStage.Unnamed], stages);
    }

    [Fact]
    public async Task Pages_are_cut_in_sql_without_overlap_and_a_page_past_the_end_shows_the_last()
    {
        var seen = new List<int>();
        for (var page = 0; page < 6; page++)
        {
            var result = await _service.ListAsync(new RoundQuery { Page = page, PageSize = 5 });
            Assert.Equal(27, result.TotalCount);
            Assert.Equal(page, result.Page);
            Assert.Equal(page < 5 ? 5 : 2, result.Items.Count);
            seen.AddRange(result.Items.Select(r => r.Id));
        }
        Assert.Equal(27, seen.Distinct().Count());

        var past = await _service.ListAsync(new RoundQuery { Page = 40, PageSize = 5 });
        Assert.Equal(5, past.Page);
        Assert.Equal(2, past.Items.Count);
    }

    [Fact]
    public async Task Each_round_carries_its_sources_and_a_disputed_post_money_shows_both_reported_values()
    {
        var baichuan = await List(new RoundQuery { Company = "baichuan" });
        var seriesA1 = Assert.Single(baichuan.Items, r => r.Size.Amount == 300_000_000m);

        // Oct 2023, US$300M: reported by B2, B3 and B4; its post-money is ">$1B" per B3 and "$1.2B" per A3.
        var keys = seriesA1.Citations.Select(c => c.SourceKey).Distinct().ToList();
        Assert.Contains("B2", keys);
        Assert.Contains("B3", keys);
        Assert.Contains("B4", keys);
        var postMoney = seriesA1.Citations.Where(c => c.Field == "PostMoneyValuation").ToList();
        Assert.Equal(AiLandscape.Web.Features.Disputes.DisputeState.Open, AiLandscape.Web.Features.Disputes.DisputeRules.StateOf(postMoney));
        Assert.Equal(2, postMoney.Select(c => c.ReportedValue).Distinct().Count());

        // Every listed round has at least one source, and no round carries another round's citations.
        var all = await List(new RoundQuery());
        Assert.All(all.Items, r => Assert.All(r.Citations, c => Assert.Equal(r.Id, c.RecordId)));
        Assert.All(all.Items, r => Assert.NotEmpty(r.Citations));
    }

    [Fact]
    public async Task A_page_costs_the_same_few_commands_whatever_its_size()
    {
        var filters = new RoundQuery { Investor = "tencent", Stages = [RoundStage.SeriesA, RoundStage.SeriesB, RoundStage.SeriesC, RoundStage.Unnamed], MinUsdMillions = 1 };
        foreach (var query in new[] { new RoundQuery(), filters })
        {
            _counter.Reset();
            var small = await _service.ListAsync(query with { PageSize = 5 });
            var smallCost = _counter.Count;
            _counter.Reset();
            var large = await _service.ListAsync(query with { PageSize = 50 });
            var largeCost = _counter.Count;

            Assert.True(large.Items.Count > small.Items.Count);
            Assert.Equal(smallCost, largeCost);
            Assert.True(largeCost <= 5, $"expected at most 5 commands, saw {largeCost}");
        }
    }

    [Fact]
    public async Task The_usd_figure_the_list_sorts_and_filters_on_is_the_one_the_total_adds_for_every_round()
    {
        var all = await List(new RoundQuery());
        await using var db = await _services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var converter = await CurrencyConverter.LoadAsync(db);

        foreach (var r in all.Items)
        {
            var figure = r.Size.Disclosure switch
            {
                Disclosure.Range => r.Size.AmountMin,
                Disclosure.Undisclosed => null,
                _ => r.Size.Amount,
            };
            // At the precision of the round's date: a year-dated yuan round at its year's average rate (ADR 0013, 0022).
            var expected = figure is { } f ? converter.ToUsd(f, r.Size.Currency, r.AnnouncedOn, r.AnnouncedPrecision)?.Usd : null;
            Assert.Equal(expected, r.ComparableUsd is { } usd ? Math.Round(usd, 0) : null);
        }
    }

    [Fact]
    public async Task Each_round_carries_what_the_list_shows()
    {
        var all = await List(new RoundQuery());

        var minimaxPreB = Assert.Single(all.Items, r => r.LabelAsAnnounced == "Pre-B+ / Pre-B++");
        Assert.Equal("稀宇科技", minimaxPreB.CompanyNameZh);
        Assert.Null(minimaxPreB.AnnouncedOn);
        Assert.Equal(["fortera-capital", "sig-xiandao"], minimaxPreB.Leads.Select(i => i.Slug).Order(StringComparer.Ordinal));
        Assert.Empty(minimaxPreB.OtherInvestors);

        var zeroOneRaise = Assert.Single(all.Items, r => r.CompanySlug == "01-ai" && r.Status == RoundStatus.InProgress);
        Assert.Equal(Disclosure.Range, zeroOneRaise.Size.Disclosure);
        Assert.Null(zeroOneRaise.Size.AmountMin);
        Assert.Equal(200_000_000m, zeroOneRaise.Size.AmountMax);
        Assert.Equal("≤ US$200M", RoundFormat.Range(zeroOneRaise.Size.AmountMin, zeroOneRaise.Size.AmountMax, "USD"));

        var moonshotB = Assert.Single(all.Items, r => Key(r) == "moonshot-ai 2024-02-01");
        Assert.Equal("alibaba", Assert.Single(moonshotB.Leads).Slug);
        Assert.Equal(5, moonshotB.OtherInvestors.Count);
        Assert.Equal(2_500_000_000m, moonshotB.PostMoney!.Amount);
        Assert.Equal(FigureQualifier.Approximate, moonshotB.PostMoney.Qualifier);

        var baichuanA = Assert.Single(all.Items, r => Key(r) == "baichuan 2024-07-01");
        Assert.Equal("CNY", baichuanA.PostMoney!.Currency);
        Assert.Equal(2_756_833_501m, baichuanA.PostMoney.Usd!.Usd); // ¥20B at 7.2547
    }

    public static TheoryData<string> TotalQueries => new()
    {
        "", "stage=SeriesA&stage=SeriesB", "currency=CNY", "currency=HKD", "min=100", "max=500", "disclosure=Range",
        "disclosure=Estimated", "investor=tencent", "from=2024-01-01", "to=2022-12-31",
    };

    /// <summary>
    /// The list counts and adds up in SQL over each round's stored USD amount (ADR 0022); the figures must be those
    /// FundingTotal gives over the same rounds converted in memory, as the list computed them before.
    /// </summary>
    [Theory]
    [MemberData(nameof(TotalQueries))]
    public async Task The_count_total_and_amount_order_equal_the_in_memory_conversion_of_the_same_rounds(string filters)
    {
        var q = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(filters);
        string[] All(string key) => q.TryGetValue(key, out var v) ? v.OfType<string>().ToArray() : [];
        string? One(string key) => All(key).FirstOrDefault();
        var query = RoundQuery.FromQueryString(One("from"), One("to"), All("stage"), One("min"), One("max"), All("disclosure"),
            One("company"), One("investor"), All("currency"), "amount", null, null, null);
        var result = await List(query);

        await using var db = await _services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var converter = await CurrencyConverter.LoadAsync(db);
        var ids = result.Items.Select(r => r.Id).ToList();
        var rounds = await db.FundingRounds.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync();
        Assert.Equal(result.TotalCount, rounds.Count);
        var amounts = rounds.ToDictionary(r => r.Id, r => new RoundAmount(r.Disclosure, r.Currency, r.Amount, r.AmountMin, r.AnnouncedOn, r.AnnouncedPrecision));
        var counted = rounds.Where(r => r.Status == RoundStatus.Completed && !r.IsUnverified && r.Stage != RoundStage.Ipo).ToList();

        Assert.Equal(FundingTotal.Sum(counted.Select(r => amounts[r.Id]), converter), result.Total);
        Assert.Equal(rounds.Count - counted.Count, result.NotAddedCount);

        decimal? Usd(FundingRound r) => FundingTotal.Added(amounts[r.Id]) is { } a
            ? converter.ToUsd(a, r.Currency, r.AnnouncedOn, r.AnnouncedPrecision)?.Usd : null;
        var expectedOrder = rounds
            .OrderBy(r => Usd(r) is null).ThenByDescending(Usd)
            .ThenBy(r => r.AnnouncedOn is null).ThenByDescending(r => r.AnnouncedOn).ThenBy(r => r.Id)
            .Select(r => r.Id);
        Assert.Equal(expectedOrder, ids);
        Assert.Equal(rounds.Select(Usd).Order(), result.Items.Select(r => r.ComparableUsd).Order());

        if (query.MinUsdMillions is { } min)
        {
            var all = await db.FundingRounds.AsNoTracking().ToListAsync();
            amounts = all.ToDictionary(r => r.Id, r => new RoundAmount(r.Disclosure, r.Currency, r.Amount, r.AmountMin, r.AnnouncedOn, r.AnnouncedPrecision));
            Assert.Equal(all.Where(r => Usd(r) >= min * 1_000_000m).Select(r => r.Id).Order(), ids.Order());
        }
    }

    [Fact]
    public async Task The_currency_filter_offers_each_currency_rounds_are_reported_in_once()
    {
        var options = await _service.GetFilterOptionsAsync();

        await using var db = await _services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var expected = (await db.FundingRounds.Select(r => r.Currency).Distinct().ToListAsync()).Select(c => c.Trim()).Order(StringComparer.Ordinal);
        Assert.Equal(expected, options.Currencies);
        Assert.Contains("CNY", options.Currencies);
        Assert.Contains("USD", options.Currencies);
    }
}
