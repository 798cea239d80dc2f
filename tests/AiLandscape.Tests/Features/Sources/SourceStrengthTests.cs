using AiLandscape.Web.Data;
using AiLandscape.Web.Data.Seed;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Sources;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Sources;

/// <summary>Sources ranked by their kind, strongest first, and a company's coverage by strong sources.</summary>
public class SourceStrengthTests : IAsyncLifetime
{
    private readonly SqlCommandCounter _counter = new();
    private ServiceProvider _services = null!;
    private CompanyService _companies = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("source_strength"), _counter);
        _companies = new CompanyService(_services.GetRequiredService<IDbContextFactory<AppDbContext>>());
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Every_figures_sources_come_strongest_kind_first_not_in_the_alphabetical_order_of_the_stored_names()
    {
        var p = (await _companies.GetProfileAsync("zhipu-ai"))!;
        var all = p.Citations.All;
        // Stored as names, "Aggregator" sorts first in SQL; the seed gives Zhipu both filings and aggregators.
        Assert.Contains(all, c => c.Kind == SourceKind.RegulatoryFiling);
        Assert.Contains(all, c => c.Kind == SourceKind.Aggregator);
        Assert.Equal(all.Select(c => (int)c.Kind).Order(), all.Select(c => (int)c.Kind));
        var mixed = p.Rounds.Select(r => p.Citations.For(RecordType.FundingRound, r.Id))
            .Concat(p.Valuations.Select(v => p.Citations.For(RecordType.ValuationPoint, v.Id)))
            .Where(list => list.Select(c => c.Kind).Distinct().Count() > 1).ToList();
        Assert.NotEmpty(mixed);
        Assert.All(mixed, list => Assert.Equal(list.Select(c => (int)c.Kind).Order(), list.Select(c => (int)c.Kind)));
        Assert.All(all.Where(c => c.SourceKey is not null), c => Assert.NotNull(c.Language)); // the seed records every language
    }

    [Fact]
    public void The_strongest_first_order_follows_the_enum_not_the_names()
    {
        CitationView Of(int id, SourceKind kind) => new(id, null, "t", null, null, null, null, DatePrecision.Day, kind, RecordType.FundingRound, 1, null, null, null, false);
        var ranked = SourceStrength.StrongestFirst([Of(1, SourceKind.Aggregator), Of(2, SourceKind.Other), Of(3, SourceKind.RegulatoryFiling),
            Of(4, SourceKind.Newspaper), Of(5, SourceKind.NewsAgency), Of(6, SourceKind.Mirror), Of(7, SourceKind.CompanyAnnouncement)]);
        Assert.Equal([3, 7, 5, 4, 1, 6, 2], ranked.Select(c => c.SourceId));
    }

    [Theory]
    [InlineData("zhipu-ai")]
    [InlineData("01-ai")]
    [InlineData("minimax")]
    public async Task Coverage_counts_the_figures_backed_by_a_filing_an_announcement_or_a_news_agency_as_the_seed_records_them(string slug)
    {
        // Expected from the seed files themselves: each round, valuation, event and model with its sources' kinds.
        var seed = SeedDataset.LoadEmbedded();
        var kinds = seed.Sources.ToDictionary(s => s.Key, s => s.Kind);
        var company = seed.Companies.Single(c => c.Slug == slug);
        SourceKind? Strongest(List<SeedCitation>? sources) => sources is { Count: > 0 } ? sources.Min(s => kinds[s.Source]) : null;
        var expected = (company.Rounds ?? []).Select(r => Strongest(r.Sources))
            .Concat((company.Valuations ?? []).Select(v => Strongest(v.Sources)))
            .Concat((company.Events ?? []).Select(e => Strongest(e.Sources)))
            .Concat((company.Models ?? []).Select(m => Strongest(m.Sources)))
            .ToList();
        var backed = expected.Count(k => k is SourceKind.RegulatoryFiling or SourceKind.CompanyAnnouncement or SourceKind.NewsAgency);
        var weak = expected.Count(k => k is SourceKind.Aggregator or SourceKind.Mirror or SourceKind.Other);

        var p = (await _companies.GetProfileAsync(slug))!;
        var commands = _counter.Count;
        var coverage = CompanyCoverage.Of(p);

        Assert.Equal(commands, _counter.Count); // computed from what the profile loaded: no SQL
        Assert.Equal(expected.Count, coverage.Figures.Count);
        Assert.Equal(backed, coverage.Backed);
        Assert.Equal((int)Math.Round(100m * backed / expected.Count, MidpointRounding.AwayFromZero), coverage.Percent);
        Assert.Equal(weak, coverage.WeakOnly.Count);
        Assert.Equal(expected.GroupBy(k => k).ToDictionary(g => g.Key?.ToString() ?? "none", g => g.Count()),
            coverage.ByStrongestKind.ToDictionary(x => x.Kind?.ToString() ?? "none", x => x.Count));
        // Strongest first in the breakdown.
        Assert.Equal(coverage.ByStrongestKind.Where(x => x.Kind is not null).Select(x => (int)x.Kind!.Value).Order(),
            coverage.ByStrongestKind.Where(x => x.Kind is not null).Select(x => (int)x.Kind!.Value));
    }
}
