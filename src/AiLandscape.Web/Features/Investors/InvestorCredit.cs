using AiLandscape.Web.Data;

namespace AiLandscape.Web.Features.Investors;

/// <summary>
/// The one definition of an investor's figures (rounds, leads, companies), used by /investors, the investor profile
/// and the home page's "most active investors": a participation counts for its investor and for that investor's
/// parent (Alibaba Cloud's rounds are Alibaba's too); rounds, led rounds and companies are counted once each.
/// </summary>
public static class InvestorCredit
{
    /// <summary>A participation as credited to one investor (its own, or a unit's credited to the parent).</summary>
    public sealed class Credited
    {
        public int InvestorId { get; init; }
        public int FundingRoundId { get; init; }
        public int CompanyId { get; init; }
        public bool IsLead { get; init; }
    }

    /// <summary>Per investor with at least one credited participation.</summary>
    public sealed class Counts
    {
        public int InvestorId { get; init; }
        public int Rounds { get; init; }
        public int Leads { get; init; }
        public int Companies { get; init; }
    }

    /// <summary>Every participation once for its investor and once more for the investor's parent, if any.</summary>
    public static IQueryable<Credited> All(AppDbContext db) =>
        db.Participations
            .Select(p => new Credited
            {
                InvestorId = p.InvestorId, FundingRoundId = p.FundingRoundId, CompanyId = p.FundingRound.CompanyId, IsLead = p.IsLead,
            })
            .Concat(db.Participations.Where(p => p.Investor.ParentId != null)
                .Select(p => new Credited
                {
                    InvestorId = p.Investor.ParentId!.Value, FundingRoundId = p.FundingRoundId,
                    CompanyId = p.FundingRound.CompanyId, IsLead = p.IsLead,
                }));

    /// <summary>The figures of every investor, in SQL (group the credited participations).</summary>
    public static IQueryable<Counts> CountsOf(AppDbContext db) =>
        All(db).GroupBy(c => c.InvestorId).Select(g => new Counts
        {
            InvestorId = g.Key,
            Rounds = g.Select(c => c.FundingRoundId).Distinct().Count(),
            Leads = g.Where(c => c.IsLead).Select(c => c.FundingRoundId).Distinct().Count(),
            Companies = g.Select(c => c.CompanyId).Distinct().Count(),
        });

    /// <summary>The same figures over participations already loaded for one investor and its units (the profile).</summary>
    public static (int Rounds, int Leads, int Companies) Summarise(IEnumerable<(int FundingRoundId, int CompanyId, bool IsLead)> credited)
    {
        var list = credited.ToList();
        return (list.Select(c => c.FundingRoundId).Distinct().Count(),
            list.Where(c => c.IsLead).Select(c => c.FundingRoundId).Distinct().Count(),
            list.Select(c => c.CompanyId).Distinct().Count());
    }
}
