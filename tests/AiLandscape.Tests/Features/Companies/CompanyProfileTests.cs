using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Companies;

public class CompanyProfileTests : IAsyncLifetime
{
    private readonly SqlCommandCounter _counter = new();
    private ServiceProvider _services = null!;
    private IDbContextFactory<AppDbContext> _factory = null!;
    private CompanyService _service = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("company_profile"), _counter);
        _factory = _services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        _service = new CompanyService(_factory);
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task An_unknown_slug_has_no_profile() => Assert.Null(await _service.GetProfileAsync("no-such-company"));

    [Fact]
    public async Task Moonshots_profile_has_its_people_rounds_investors_and_key_figures()
    {
        var p = (await _service.GetProfileAsync("moonshot-ai"))!;
        Assert.Equal("月之暗面", p.NameZh);
        Assert.Contains(p.People, x => x.NameEn == "Yang Zhilin" && x.Roles.Any(r => r.Kind == PersonRoleKind.Ceo));
        Assert.Equal(4, p.Figures.RoundCount);
        Assert.Equal(2_500_000_000m, p.Figures.TotalRaised.Usd);
        Assert.Equal(4_800_000_000m, p.Figures.LatestValuation!.Amount);

        var seriesC = p.Rounds.Single(r => r.Stage == RoundStage.SeriesC && r.AnnouncedOn == new DateOnly(2025, 12, 31));
        Assert.Equal(500_000_000m, seriesC.Amount);
        Assert.Equal(4_300_000_000m, seriesC.PostMoney);
        Assert.Equal("idg-capital", Assert.Single(seriesC.Investors, i => i.IsLead).Slug);
        Assert.NotEmpty(p.Citations.For(RecordType.FundingRound, seriesC.Id));

        // Both 2024 rounds were called "Series B" by different sources; the headquarters city is disputed too.
        Assert.True(p.Citations.IsDisputed(RecordType.Company, p.Id, "HeadquartersCity"));
    }

    [Fact]
    public async Task The_charts_cumulative_funding_rises_in_steps_and_valuations_are_in_usd()
    {
        var p = (await _service.GetProfileAsync("baichuan"))!;
        // $50M (2023) + $300M (Oct 2023) + ¥5B (Jul 2024 at the Jun 2024 rate 7.2547).
        Assert.Equal(50_000_000m + 300_000_000m + Math.Round(5_000_000_000m / 7.2547m), p.FundingCurve[^1].Usd);
        Assert.True(p.FundingCurve.Zip(p.FundingCurve.Skip(1)).All(pair => pair.Second.Usd >= pair.First.Usd));
        Assert.Equal(Math.Round(20_000_000_000m / 7.2547m), p.ValuationCurve[^1].Usd);
    }

    [Fact]
    public async Task DeepSeeks_profile_has_models_and_no_rounds()
    {
        var p = (await _service.GetProfileAsync("deepseek"))!;
        Assert.Empty(p.Rounds);
        Assert.Null(p.Figures.LatestValuation);
        Assert.Empty(p.FundingCurve);
        Assert.Contains(p.Models, m => m.Name.Contains("V3") && m.ReleasedOn == new DateOnly(2024, 12, 26));
        Assert.True(p.Citations.IsDisputed(RecordType.Company, p.Id, "FoundedOn"));
    }

    [Fact]
    public async Task A_profile_costs_the_same_number_of_sql_commands_with_1_or_50_rounds()
    {
        await CreateCompanyAsync("one-round", rounds: 1);
        await CreateCompanyAsync("fifty-rounds", rounds: 50);

        _counter.Reset();
        var one = await _service.GetProfileAsync("one-round");
        var oneCost = _counter.Count;
        _counter.Reset();
        var fifty = await _service.GetProfileAsync("fifty-rounds");
        var fiftyCost = _counter.Count;

        Assert.Single(one!.Rounds);
        Assert.Equal(50, fifty!.Rounds.Count);
        Assert.Equal(100, fifty.Rounds.Sum(r => r.Investors.Count));
        Assert.Equal(oneCost, fiftyCost);
        Assert.True(fiftyCost <= 8, $"a profile should read with at most 8 commands, it used {fiftyCost}");
    }

    private async Task CreateCompanyAsync(string slug, int rounds)
    {
        await using var db = await _factory.CreateDbContextAsync();
        var source = await db.Sources.FirstAsync();
        var investors = await db.Investors.OrderBy(i => i.Id).Take(2).ToListAsync();
        var company = new Company { Slug = slug, NameEn = slug };
        db.Companies.Add(company);
        for (var i = 0; i < rounds; i++)
        {
            var round = new FundingRound
            {
                Company = company, AnnouncedOn = new DateOnly(2020, 1, 1).AddMonths(i), Stage = RoundStage.Unnamed,
                Disclosure = Disclosure.Disclosed, Currency = "USD", Amount = 1_000_000m * (i + 1),
            };
            round.Participations.Add(new Participation { Investor = investors[0], IsLead = true });
            round.Participations.Add(new Participation { Investor = investors[1] });
            db.FundingRounds.Add(round);
            db.ValuationPoints.Add(new ValuationPoint
            {
                Company = company, FundingRound = round, ValuedOn = round.AnnouncedOn!.Value, Amount = 10_000_000m * (i + 1),
                Currency = "USD", Basis = ValuationBasis.PostMoney,
            });
        }
        await db.SaveChangesAsync();
        var roundIds = await db.FundingRounds.Where(r => r.CompanyId == company.Id).Select(r => r.Id).ToListAsync();
        db.Citations.AddRange(roundIds.Select(id => new Citation { SourceId = source.Id, RecordType = RecordType.FundingRound, RecordId = id }));
        await db.SaveChangesAsync();
    }
}
