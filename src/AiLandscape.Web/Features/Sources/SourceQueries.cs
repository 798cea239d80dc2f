using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Disputes;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Sources;

public static class SourceQueries
{
    /// <summary>All citations of the given records, with their sources, in one SQL command.</summary>
    public static async Task<CitationIndex> CitationsOfAsync(AppDbContext db,
        IReadOnlyDictionary<RecordType, IReadOnlyCollection<int>> records, CancellationToken ct = default)
    {
        // One array parameter per record type; record types with no ids drop out.
        var byType = records.Where(r => r.Value.Count > 0).ToDictionary(r => r.Key, r => r.Value.ToArray());
        if (byType.Count == 0)
        {
            return CitationIndex.Empty;
        }
        int[] Ids(RecordType t) => byType.TryGetValue(t, out var ids) ? ids : [];
        var company = Ids(RecordType.Company);
        var role = Ids(RecordType.CompanyRole);
        var round = Ids(RecordType.FundingRound);
        var participation = Ids(RecordType.Participation);
        var valuation = Ids(RecordType.ValuationPoint);
        var ev = Ids(RecordType.CompanyEvent);
        var model = Ids(RecordType.ModelRelease);
        var investor = Ids(RecordType.Investor);
        var person = Ids(RecordType.Person);

        var rows = await db.Citations.AsNoTracking()
            .Where(c =>
                (c.RecordType == RecordType.Company && company.Contains(c.RecordId!.Value)) ||
                (c.RecordType == RecordType.CompanyRole && role.Contains(c.RecordId!.Value)) ||
                (c.RecordType == RecordType.FundingRound && round.Contains(c.RecordId!.Value)) ||
                (c.RecordType == RecordType.Participation && participation.Contains(c.RecordId!.Value)) ||
                (c.RecordType == RecordType.ValuationPoint && valuation.Contains(c.RecordId!.Value)) ||
                (c.RecordType == RecordType.CompanyEvent && ev.Contains(c.RecordId!.Value)) ||
                (c.RecordType == RecordType.ModelRelease && model.Contains(c.RecordId!.Value)) ||
                (c.RecordType == RecordType.Investor && investor.Contains(c.RecordId!.Value)) ||
                (c.RecordType == RecordType.Person && person.Contains(c.RecordId!.Value)))
            .OrderBy(c => c.Id) // a stable order within one source; strength is ranked in C# below (kinds are stored as names)
            // The field's dispute resolution comes along in the same command (a left join on its unique key), so
            // showing "resolved" costs a page no extra query.
            .Select(c => new
            {
                View = new CitationView(c.SourceId, c.Source.Key, c.Source.Title ?? c.Source.Url ?? "Untitled source",
                    c.Source.Url, c.Source.Publisher, c.Source.OriginalPublisher, c.Source.PublishedOn,
                    c.Source.PublishedPrecision, c.Source.Kind, c.RecordType, c.RecordId, c.Field, c.ReportedValue, c.Claim,
                    c.IsUnverified) { Language = c.Source.Language },
                Resolution = c.ReportedValue == null ? null : db.DisputeResolutions
                    .Where(d => d.RecordType == c.RecordType && d.RecordId == c.RecordId && d.Field == c.Field)
                    .Select(d => new DisputeResolutionView(d.Id, d.AcceptedValue, d.AcceptedSourceId, d.Reason, d.ValuesSeen,
                        d.ResolvedAt, d.ResolvedBy, d.Version))
                    .FirstOrDefault(),
            })
            .ToListAsync(ct);
        return new CitationIndex(SourceStrength.StrongestFirst(
            rows.Select(r => r.Resolution is null ? r.View : r.View with { Resolution = r.Resolution }).ToList()));
    }
}
