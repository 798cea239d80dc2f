using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Sources;

namespace AiLandscape.Web.Features.Companies;

/// <summary>One figure of a profile with the strongest kind of source behind it (null: no source at all).</summary>
public sealed record CoveredFigure(RecordType Type, int Id, string Description, SourceKind? Strongest);

/// <summary>
/// How well a company's figures are sourced: the share backed by a regulatory filing, a company announcement or a
/// news agency, and how many figures rest on each strongest kind.
/// </summary>
public sealed record CompanyCoverage(IReadOnlyList<CoveredFigure> Figures)
{
    public int Backed => Figures.Count(f => f.Strongest is { } k && SourceStrength.IsStrong(k));

    /// <summary>Whole percent, rounded half away from zero; 0 when there are no figures.</summary>
    public int Percent => Figures.Count == 0 ? 0 : (int)Math.Round(100m * Backed / Figures.Count, MidpointRounding.AwayFromZero);

    /// <summary>Figures per strongest kind, strongest first; unsourced figures under null, last.</summary>
    public IReadOnlyList<(SourceKind? Kind, int Count)> ByStrongestKind =>
        Figures.GroupBy(f => f.Strongest).OrderBy(g => g.Key is null).ThenBy(g => (int?)g.Key)
            .Select(g => (g.Key, g.Count())).ToList();

    /// <summary>Figures whose best source is an aggregator, a copy or other.</summary>
    public IReadOnlyList<CoveredFigure> WeakOnly => Figures.Where(f => f.Strongest is { } k && SourceStrength.IsWeak(k)).ToList();

    public IReadOnlyList<CoveredFigure> Unsourced => Figures.Where(f => f.Strongest is null).ToList();

    /// <summary>
    /// The figures are the records a profile reports as facts with dates and amounts: funding rounds, valuation
    /// points, events and model releases. The company's own fields (founded, headquarters) and people's roles are
    /// descriptive and cited differently, so they are left out. A figure counts with every source cited for it or
    /// for one of its fields. Computed from the citations the profile already loaded: no SQL of its own.
    /// </summary>
    public static CompanyCoverage Of(CompanyProfile p)
    {
        SourceKind? Strongest(RecordType type, int id) =>
            p.Citations.For(type, id).Select(c => (SourceKind?)c.Kind).Min();

        var figures = new List<CoveredFigure>();
        figures.AddRange(p.Rounds.Select(r => new CoveredFigure(RecordType.FundingRound, r.Id,
            $"{(r.Label is { } label ? $"Round “{label}”" : $"{Format.Stage(r.Stage)} round")}, {Format.Date(r.AnnouncedOn, r.AnnouncedPrecision)}", Strongest(RecordType.FundingRound, r.Id))));
        figures.AddRange(p.Valuations.Select(v => new CoveredFigure(RecordType.ValuationPoint, v.Id,
            $"Valuation {Format.Money(v.Amount, v.Currency, v.Qualifier)}, {Format.Date(v.ValuedOn, v.Precision)}", Strongest(RecordType.ValuationPoint, v.Id))));
        figures.AddRange(p.Events.Select(e => new CoveredFigure(RecordType.CompanyEvent, e.Id,
            $"Event: {e.Title}, {Format.Date(e.OccurredOn, e.Precision)}", Strongest(RecordType.CompanyEvent, e.Id))));
        figures.AddRange(p.Models.Select(m => new CoveredFigure(RecordType.ModelRelease, m.Id,
            $"Model {m.Name}, {Format.Date(m.ReleasedOn, m.Precision)}", Strongest(RecordType.ModelRelease, m.Id))));
        return new CompanyCoverage(figures);
    }
}
