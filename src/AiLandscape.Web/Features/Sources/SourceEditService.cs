using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.History;
using AiLandscape.Web.Features.Search;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Sources;

/// <summary>The sources list, and adding, correcting and deleting a source with its citations.</summary>
public sealed class SourceEditService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer) : IEditService<SourceRequest>
{
    /// <summary>One page of sources whose title, publisher (or original publisher), URL or key contains the text; newest first.</summary>
    public async Task<SourceListResult> ListAsync(SourceListQuery q, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var sources = db.Sources.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q.Text))
        {
            var pattern = "%" + TextSearch.EscapeLike(q.Text.Trim()) + "%";
            sources = sources.Where(s => EF.Functions.ILike(s.SearchText, pattern, "\\"));
        }
        var total = await sources.CountUpToAsync(ct: ct);
        var pageSize = Math.Clamp(q.PageSize, 1, 200);
        var items = await sources.OrderByDescending(s => s.PublishedOn).ThenByDescending(s => s.Id)
            .Skip(Math.Max(0, q.Page) * pageSize).Take(pageSize)
            .Select(s => new SourceListRow(s.Id, s.Key, s.Title, s.Url, s.Publisher, s.PublishedOn, s.PublishedPrecision, s.Kind,
                s.Language, s.Citations.Count))
            .ToListAsync(ct);
        return new SourceListResult(items, total.Count, total.IsLowerBound);
    }

    public static SourceRequest New() => new();

    /// <summary>The form of an existing source with its citations, or null when it does not exist.</summary>
    public async Task<SourceRequest?> EditAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var loadedAt = DateTimeOffset.UtcNow;
        var s = await db.Sources.AsNoTracking().Include(x => x.Citations).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null)
        {
            return null;
        }
        var cited = s.Citations.Where(c => c.RecordType is not null).Select(c => (c.RecordType!.Value, c.RecordId!.Value));
        var labels = await RecordLabels.LabelsAsync(db, cited, ct);
        return new SourceRequest
        {
            Id = s.Id, Version = s.Version, LoadedAt = loadedAt, Url = s.Url, Title = s.Title, Publisher = s.Publisher,
            OriginalPublisher = s.OriginalPublisher, PublishedOn = PartialDates.Write(s.PublishedOn, s.PublishedPrecision),
            PublishedOnIsInferred = s.PublishedOnIsInferred, Kind = s.Kind, Language = s.Language, Notes = s.Notes,
            Citations = s.Citations.OrderBy(c => c.RecordType).ThenBy(c => c.RecordId).ThenBy(c => c.Id)
                .Select(c => new CitationInput
                {
                    Id = c.Id, RecordType = c.RecordType, RecordId = c.RecordId,
                    RecordLabel = c.RecordType is { } t ? labels.GetValueOrDefault((t, c.RecordId!.Value), $"{HistoryFormat.TypeName(t)} #{c.RecordId} (deleted)") : null,
                    Field = c.Field, ReportedValue = c.ReportedValue, Claim = c.Claim, IsUnverified = c.IsUnverified,
                }).ToList(),
        };
    }

    public async Task<IReadOnlyList<RecordOption>> SearchRecordsAsync(RecordType type, string? text, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await RecordLabels.SearchAsync(db, type, text, ct);
    }

    public async Task<SaveResult> SaveAsync(SourceRequest r, CancellationToken ct = default)
    {
        writer.EnsureCanEdit(); // before validating: a refused user learns nothing about the data
        var v = new Validator();
        r.Validate(v);
        if (!v.IsValid)
        {
            return SaveResult.Invalid(v.Errors);
        }
        return await writer.SaveAsync(r.LoadedAt, async (edit, token) =>
        {
            var db = edit.Db;
            var url = SourceRequest.Clean(r.Url);
            if (url is not null)
            {
                var twin = await db.Sources.AsNoTracking().Where(s => s.Url == url && s.Id != r.Id)
                    .Select(s => new { s.Id, s.Title }).FirstOrDefaultAsync(token);
                if (twin is not null)
                {
                    return SaveResult.Invalid(nameof(r.Url),
                        $"URL: source #{twin.Id} \"{twin.Title ?? url}\" already has this URL; edit that source instead of adding it twice.");
                }
            }
            if (await CheckRecordsExistAsync(db, r.Citations, token) is { } missing)
            {
                return SaveResult.Invalid([missing]);
            }

            Source source;
            List<Citation> current = [];
            if (r.Id is { } id)
            {
                var existing = await db.Sources.Include(x => x.Citations).FirstOrDefaultAsync(x => x.Id == id, token);
                if (existing is null)
                {
                    return SaveResult.NotFound("This source has been deleted by another editor.");
                }
                source = existing;
                current = existing.Citations.ToList();
                edit.ExpectVersion(source, r.Version, r.Overwrite);
            }
            else
            {
                source = new Source();
                db.Sources.Add(source);
            }

            // A citation taken off (or moved to another record) must not leave a figure without any source.
            var kept = r.Citations.Where(c => c.Id is not null).ToDictionary(c => c.Id!.Value);
            var leaving = current.Where(c => !kept.TryGetValue(c.Id, out var k) || k.RecordType != c.RecordType || k.RecordId != c.RecordId);
            var stillCited = r.Citations.Where(c => c.RecordType is not null).Select(c => (c.RecordType!.Value, c.RecordId!.Value)).ToHashSet();
            var orphaned = leaving.Where(c => c.RecordType is not null && !stillCited.Contains((c.RecordType.Value, c.RecordId!.Value)));
            if (await OnlySourceOfAsync(db, source.Id, orphaned, token) is { } figure)
            {
                return SaveResult.Invalid("Citations",
                    $"Citations: this source is the only source of {figure}; add another source to it before removing this citation.");
            }

            var published = PartialDates.TryParse(r.PublishedOn, out var date, out var precision);
            source.Url = url;
            source.Title = SourceRequest.Clean(r.Title);
            source.Publisher = SourceRequest.Clean(r.Publisher);
            source.OriginalPublisher = SourceRequest.Clean(r.OriginalPublisher);
            source.PublishedOn = published ? date : null;
            source.PublishedPrecision = published ? precision : DatePrecision.Day;
            source.PublishedOnIsInferred = published && r.PublishedOnIsInferred;
            source.Kind = r.Kind;
            source.Language = SourceRequest.Clean(r.Language);
            source.Notes = SourceRequest.Clean(r.Notes);

            db.Citations.RemoveRange(current.Where(c => !kept.ContainsKey(c.Id)));
            foreach (var input in r.Citations)
            {
                var citation = input.Id is { } cid ? current.FirstOrDefault(c => c.Id == cid) : null;
                if (citation is null)
                {
                    citation = new Citation { Source = source };
                    db.Citations.Add(citation);
                }
                citation.RecordType = input.RecordType;
                citation.RecordId = input.RecordId;
                citation.Field = SourceRequest.Clean(input.Field);
                citation.ReportedValue = SourceRequest.Clean(input.ReportedValue);
                citation.Claim = SourceRequest.Clean(input.Claim);
                citation.IsUnverified = input.IsUnverified;
            }

            edit.Subject = source;
            edit.Summary = $"{(r.Id is null ? "Added" : "Changed")} source \"{Truncate(source.Title ?? url ?? "")}\"";
            return null;
        }, ct);
    }

    public Task<SaveResult> DeleteAsync(int id, uint version, CancellationToken ct = default) =>
        writer.SaveAsync(DateTimeOffset.UtcNow, async (edit, token) =>
        {
            var db = edit.Db;
            var source = await db.Sources.Include(x => x.Citations).FirstOrDefaultAsync(x => x.Id == id, token);
            if (source is null)
            {
                return SaveResult.NotFound("This source has already been deleted.");
            }
            if (await OnlySourceOfAsync(db, id, source.Citations, token) is { } figure)
            {
                return SaveResult.Invalid("", $"This source cannot be deleted: it is the only source of {figure}. Add another source to it first.");
            }
            var rate = await db.ExchangeRates.AsNoTracking().Where(x => x.SourceId == id)
                .OrderBy(x => x.Currency).ThenBy(x => x.Month).Select(x => new { x.Currency, x.Month }).FirstOrDefaultAsync(token);
            if (rate is not null)
            {
                return SaveResult.Invalid("", $"This source cannot be deleted: it is the source of the {rate.Currency.Trim()} exchange rate for {rate.Month:yyyy-MM}. Give that rate another source first.");
            }
            edit.ExpectVersion(source, version, overwrite: false);
            // Removed one by one (not by the cascade) so that each citation's removal is in the audit trail.
            db.Citations.RemoveRange(source.Citations);
            db.Sources.Remove(source);
            edit.Summary = $"Deleted source \"{Truncate(source.Title ?? source.Url ?? "")}\"";
            return null;
        }, ct);

    /// <summary>
    /// The first round or valuation among the cited records that no other source backs, named for a message; null
    /// when every figure keeps a source.
    /// </summary>
    private static async Task<string?> OnlySourceOfAsync(AppDbContext db, int sourceId, IEnumerable<Citation> leaving, CancellationToken ct)
    {
        var figures = leaving.Where(c => c.RecordType is RecordType.FundingRound or RecordType.ValuationPoint)
            .Select(c => (Type: c.RecordType!.Value, Id: c.RecordId!.Value)).Distinct().ToList();
        if (figures.Count == 0)
        {
            return null;
        }
        var roundIds = figures.Where(f => f.Type == RecordType.FundingRound).Select(f => f.Id).ToList();
        var valuationIds = figures.Where(f => f.Type == RecordType.ValuationPoint).Select(f => f.Id).ToList();
        var backed = await db.Citations.AsNoTracking()
            .Where(c => c.SourceId != sourceId
                        && ((c.RecordType == RecordType.FundingRound && roundIds.Contains(c.RecordId!.Value))
                            || (c.RecordType == RecordType.ValuationPoint && valuationIds.Contains(c.RecordId!.Value))))
            .Select(c => new { Type = c.RecordType!.Value, Id = c.RecordId!.Value })
            .Distinct().ToListAsync(ct);
        var alone = figures.Where(f => !backed.Any(b => b.Type == f.Type && b.Id == f.Id)).ToList();
        if (alone.Count == 0)
        {
            return null;
        }
        // A citation of a record deleted since has no label and needs no protecting.
        var labels = await RecordLabels.LabelsAsync(db, alone, ct);
        return alone.Select(f => labels.GetValueOrDefault(f)).FirstOrDefault(l => l is not null);
    }

    private static async Task<FieldMessage?> CheckRecordsExistAsync(AppDbContext db, List<CitationInput> citations, CancellationToken ct)
    {
        var cited = citations.Where(c => c.RecordType is not null).Select(c => (c.RecordType!.Value, c.RecordId!.Value)).ToList();
        var labels = await RecordLabels.LabelsAsync(db, cited, ct);
        var missing = citations.FindIndex(c => c.RecordType is { } t && !labels.ContainsKey((t, c.RecordId!.Value)));
        return missing < 0 ? null
            : new FieldMessage($"Citations[{missing}].Record",
                $"Citation {missing + 1}: record: {HistoryFormat.TypeName(citations[missing].RecordType!.Value)} #{citations[missing].RecordId} does not exist (any more).");
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..79] + "…";
}
