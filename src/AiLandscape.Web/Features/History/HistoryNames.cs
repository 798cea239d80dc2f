using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.History;

/// <summary>
/// A record as it is now, with what the history needs to name it and link to it: its name, the company it belongs
/// to, the round a participation is part of, a source's title. Absent when the record no longer exists.
/// </summary>
public sealed class RecordRef
{
    public RecordType Type { get; init; }
    public int Id { get; init; }
    /// <summary>Company, person, investor (a role's person, a participation's investor), event title, model, source title, currency, label.</summary>
    public string? Name { get; init; }
    /// <summary>The profile slug of what <see cref="Name"/> names (company, person, investor).</summary>
    public string? Slug { get; init; }
    public int? CompanyId { get; init; }
    public string? CompanyName { get; init; }
    public string? CompanySlug { get; init; }
    /// <summary>The round itself, a participation's round, a valuation's round.</summary>
    public int? RoundId { get; init; }
    public RoundStage? Stage { get; init; }
    public string? RoundLabel { get; init; }
    /// <summary>The round's, valuation's, event's, model's date; a rate's month; a source's publication date.</summary>
    public DateOnly? On { get; init; }
    public DatePrecision Precision { get; init; }
    /// <summary>A source's URL; a role's title; a dispute's field.</summary>
    public string? Detail { get; init; }
    /// <summary>A citation's source.</summary>
    public int? SourceId { get; init; }
    /// <summary>What a citation or a dispute resolution is about.</summary>
    public RecordType? OfType { get; init; }
    public int? OfId { get; init; }
}

/// <summary>The records a page of history names, as they are now: one SQL command per record type asked for.</summary>
public sealed class RecordRefs(IReadOnlyDictionary<(RecordType, int), RecordRef> refs)
{
    private IReadOnlyDictionary<(RecordType, int), RecordRef> All => refs;

    public static readonly RecordRefs None = new(new Dictionary<(RecordType, int), RecordRef>());

    public RecordRef? Find(RecordType type, int? id) => id is { } i ? refs.GetValueOrDefault((type, i)) : null;

    /// <summary>The records the loaded ones point at (a citation's source and record, a role's company).</summary>
    public IEnumerable<(RecordType Type, int Id)> Mentions()
    {
        foreach (var r in refs.Values)
        {
            if (r.CompanyId is { } c) yield return (RecordType.Company, c);
            if (r.RoundId is { } round) yield return (RecordType.FundingRound, round);
            if (r.SourceId is { } s) yield return (RecordType.Source, s);
            if (r.OfType is { } t && r.OfId is { } id) yield return (t, id);
        }
    }

    public RecordRefs With(RecordRefs more)
    {
        var all = new Dictionary<(RecordType, int), RecordRef>(refs);
        foreach (var (key, value) in more.All)
        {
            all[key] = value;
        }
        return new RecordRefs(all);
    }

    /// <summary>For tests and callers that already hold the records.</summary>
    public static RecordRefs Of(IEnumerable<RecordRef> records) => new(records.ToDictionary(r => (r.Type, r.Id)));

    public static async Task<RecordRefs> LoadAsync(AppDbContext db, IEnumerable<(RecordType Type, int Id)> wanted, CancellationToken ct)
    {
        var found = new Dictionary<(RecordType, int), RecordRef>();
        foreach (var group in wanted.Distinct().GroupBy(w => w.Type).OrderBy(g => g.Key))
        {
            var ids = group.Select(g => g.Id).ToList();
            foreach (var r in await Query(db, group.Key, ids).ToListAsync(ct))
            {
                found[(r.Type, r.Id)] = r;
            }
        }
        return new RecordRefs(found);
    }

    private static IQueryable<RecordRef> Query(AppDbContext db, RecordType type, List<int> ids) => type switch
    {
        RecordType.Company => db.Companies.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new RecordRef
            { Type = RecordType.Company, Id = x.Id, Name = x.NameEn, Slug = x.Slug, CompanyId = x.Id, CompanyName = x.NameEn, CompanySlug = x.Slug }),
        RecordType.Person => db.People.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new RecordRef
            { Type = RecordType.Person, Id = x.Id, Name = x.NameEn, Slug = x.Slug }),
        RecordType.CompanyRole => db.CompanyRoles.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new RecordRef
        {
            Type = RecordType.CompanyRole, Id = x.Id, Name = x.Person.NameEn, Slug = x.Person.Slug, CompanyId = x.CompanyId,
            CompanyName = x.Company.NameEn, CompanySlug = x.Company.Slug, Detail = x.Title,
        }),
        RecordType.Investor => db.Investors.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new RecordRef
            { Type = RecordType.Investor, Id = x.Id, Name = x.NameEn, Slug = x.Slug }),
        RecordType.FundingRound => db.FundingRounds.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new RecordRef
        {
            Type = RecordType.FundingRound, Id = x.Id, CompanyId = x.CompanyId, CompanyName = x.Company.NameEn, CompanySlug = x.Company.Slug,
            RoundId = x.Id, Stage = x.Stage, RoundLabel = x.LabelAsAnnounced, On = x.AnnouncedOn, Precision = x.AnnouncedPrecision,
        }),
        RecordType.Participation => db.Participations.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new RecordRef
        {
            Type = RecordType.Participation, Id = x.Id, Name = x.Investor.NameEn, Slug = x.Investor.Slug,
            CompanyId = x.FundingRound.CompanyId, CompanyName = x.FundingRound.Company.NameEn, CompanySlug = x.FundingRound.Company.Slug,
            RoundId = x.FundingRoundId, Stage = x.FundingRound.Stage, RoundLabel = x.FundingRound.LabelAsAnnounced,
            On = x.FundingRound.AnnouncedOn, Precision = x.FundingRound.AnnouncedPrecision,
        }),
        RecordType.ValuationPoint => db.ValuationPoints.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new RecordRef
        {
            Type = RecordType.ValuationPoint, Id = x.Id, CompanyId = x.CompanyId, CompanyName = x.Company.NameEn, CompanySlug = x.Company.Slug,
            RoundId = x.FundingRoundId, On = x.ValuedOn, Precision = x.Precision,
        }),
        RecordType.CompanyEvent => db.CompanyEvents.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new RecordRef
        {
            Type = RecordType.CompanyEvent, Id = x.Id, Name = x.Title, CompanyId = x.CompanyId, CompanyName = x.Company.NameEn,
            CompanySlug = x.Company.Slug, On = x.OccurredOn, Precision = x.Precision,
        }),
        RecordType.ModelRelease => db.ModelReleases.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new RecordRef
        {
            Type = RecordType.ModelRelease, Id = x.Id, Name = x.Name, CompanyId = x.CompanyId, CompanyName = x.Company.NameEn,
            CompanySlug = x.Company.Slug, On = x.ReleasedOn, Precision = x.Precision,
        }),
        RecordType.Source => db.Sources.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new RecordRef
        {
            Type = RecordType.Source, Id = x.Id, Name = x.Title ?? x.Url, Detail = x.Url, SourceId = x.Id,
            On = x.PublishedOn, Precision = x.PublishedPrecision,
        }),
        RecordType.Citation => db.Citations.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new RecordRef
        {
            Type = RecordType.Citation, Id = x.Id, Name = x.Source.Title ?? x.Source.Url, Detail = x.Source.Url, SourceId = x.SourceId,
            OfType = x.RecordType, OfId = x.RecordId,
        }),
        RecordType.ExchangeRate => db.ExchangeRates.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new RecordRef
            { Type = RecordType.ExchangeRate, Id = x.Id, Name = x.Currency, On = x.Month, Precision = DatePrecision.Month }),
        RecordType.DisputeResolution => db.DisputeResolutions.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new RecordRef
            { Type = RecordType.DisputeResolution, Id = x.Id, Detail = x.Field, OfType = x.RecordType, OfId = x.RecordId, SourceId = x.AcceptedSourceId }),
        RecordType.RoundLabelMapping => db.RoundLabelMappings.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new RecordRef
            { Type = RecordType.RoundLabelMapping, Id = x.Id, Name = x.Label, Stage = x.Stage }),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No history names for this record type"),
    };
}
