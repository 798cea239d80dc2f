using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Disputes;

/// <summary>
/// Disputed fields (sources report different values) and editors' decisions on them. A decision writes the accepted
/// value into the record, so totals and charts follow it without knowing about disputes.
/// </summary>
public sealed class DisputeService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer, CurrentUser user,
    ChangeKeyedCache? cache = null)
{
    public const int MaxPageSize = 100;

    /// <summary>
    /// One page of disputed fields; readable by everyone who may read the data (resolving needs an editor). SQL commands: the count, the page's keys, their citations with sources and
    /// decisions, and one per record type on the page for labels and current values (whatever the page size).
    /// </summary>
    public async Task<DisputePage> ListAsync(DisputeStatus status, int page = 1, int pageSize = 20, CancellationToken ct = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await factory.CreateDbContextAsync(ct);
        var loadedAt = DateTimeOffset.UtcNow;

        var filtered = status switch
        {
            DisputeStatus.Open => Keys(db).Where(k => !k.Resolved || k.Reopened),
            DisputeStatus.Resolved => Keys(db).Where(k => k.Resolved && !k.Reopened),
            _ => Keys(db),
        };
        // Which fields are disputed is found by grouping every citation with a reported value (0.35 s at 1,000x), so
        // the ordered keys of each list are kept per data version (ADR 0023); a page is a slice of them.
        Task<List<DisputeKey>> AllKeysAsync(CancellationToken token) => filtered
            .OrderBy(k => k.Type).ThenBy(k => k.Id).ThenBy(k => k.Field)
            .Select(k => new DisputeKey(k.Type, k.Id, k.Field))
            .ToListAsync(token);
        var all = cache is null ? await AllKeysAsync(ct) : await cache.GetOrComputeAsync(db, "disputes " + status, AllKeysAsync, ct);
        var total = all.Count;
        var keys = all.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        if (keys.Count == 0)
        {
            return new DisputePage([], total, loadedAt);
        }

        var citations = await SourceQueries.CitationsOfAsync(db, keys.GroupBy(k => k.Type)
            .ToDictionary(g => g.Key, g => (IReadOnlyCollection<int>)g.Select(k => k.Id).Distinct().ToList()), ct);
        var records = new Dictionary<(RecordType, int), RecordRow>();
        foreach (var group in keys.GroupBy(k => k.Type))
        {
            foreach (var row in await RecordsAsync(db, group.Key, group.Select(k => k.Id).Distinct().ToList(), ct))
            {
                records[(group.Key, row.Id)] = row;
            }
        }

        var items = keys.Select(k =>
        {
            var fieldCitations = citations.ForField(k.Type, k.Id, k.Field);
            var record = records.GetValueOrDefault((k.Type, k.Id));
            var values = fieldCitations.Where(c => c.ReportedValue is not null)
                .GroupBy(c => DisputeRules.Normalize(c.ReportedValue!))
                .Select(g => new ReportedValueView(g.First().ReportedValue!.Trim(),
                    g.OrderBy(c => c.Kind).ThenByDescending(c => c.PublishedOn).DistinctBy(c => c.SourceId).ToList()))
                // Strongest source first: SourceKind is declared strongest first, but stored by name, so rank here.
                .OrderBy(v => v.BestKind).ThenByDescending(v => v.Sources.Count).ThenBy(v => v.Normalized, StringComparer.Ordinal)
                .ToList();
            var resolution = citations.ResolutionOf(k.Type, k.Id, k.Field);
            // The list is public; who decided is shown to signed-in users only (the history is theirs too).
            if (resolution is not null && !user.IsAuthenticated)
            {
                resolution = resolution with { ResolvedBy = null };
            }
            return new DisputeItem(k.Type, k.Id, k.Field, DisputeFields.DisplayName(k.Type, k.Field),
                DisputeFields.KindOf(k.Type, k.Field),
                record?.Label ?? $"{History.HistoryFormat.TypeName(k.Type)} #{k.Id}",
                record?.CompanyName, record?.CompanyNameZh, record?.CompanySlug,
                record?.Values.GetValueOrDefault(k.Field) ?? "—", record?.Version ?? 0,
                values, resolution, DisputeRules.StateOf(fieldCitations));
        }).ToList();
        return new DisputePage(items, total, loadedAt);
    }

    /// <summary>
    /// Every unverified citation (a value its source reports without establishing it), newest source first, with the
    /// record it speaks to: the editors' list to check them against better sources. Two SQL commands, plus one per
    /// record type for labels.
    /// </summary>
    public async Task<IReadOnlyList<UnverifiedItem>> UnverifiedAsync(CancellationToken ct = default)
    {
        writer.EnsureCanEdit();
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Citations.AsNoTracking().Where(c => c.IsUnverified)
            .OrderByDescending(c => c.Source.PublishedOn).ThenBy(c => c.Id)
            .Select(c => new
            {
                c.Id, c.RecordType, c.RecordId, c.Field, c.ReportedValue, c.Claim, c.SourceId, c.Source.Key,
                Title = c.Source.Title ?? c.Source.Url ?? "Untitled source", c.Source.Url, c.Source.Publisher,
                c.Source.OriginalPublisher, c.Source.PublishedOn, c.Source.PublishedPrecision,
            })
            .ToListAsync(ct);
        var records = rows.Where(r => r.RecordType is not null && r.RecordId is not null)
            .Select(r => (r.RecordType!.Value, r.RecordId!.Value)).Distinct().ToList();
        var labels = records.Count == 0 ? [] : await RecordLabels.LabelsAsync(db, records, ct);
        var companyIds = records.Where(r => r.Item1 == RecordType.Company).Select(r => r.Item2).ToList();
        var roundIds = records.Where(r => r.Item1 == RecordType.FundingRound).Select(r => r.Item2).ToList();
        var slugs = await db.Companies.AsNoTracking().Where(c => companyIds.Contains(c.Id)).Select(c => new { Type = RecordType.Company, c.Id, c.Slug })
            .Concat(db.FundingRounds.AsNoTracking().Where(r => roundIds.Contains(r.Id)).Select(r => new { Type = RecordType.FundingRound, r.Id, r.Company.Slug }))
            .ToListAsync(ct);
        return rows.Select(r =>
        {
            var publisher = r.OriginalPublisher is null || r.OriginalPublisher == r.Publisher ? r.Publisher : $"{r.OriginalPublisher} (via {r.Publisher})";
            var key = r.RecordType is { } t && r.RecordId is { } id ? (t, id) : default;
            return new UnverifiedItem(r.Id, r.RecordType, r.RecordId,
                r.RecordType is null ? "A claim of the source alone" : labels.GetValueOrDefault(key) ?? $"{r.RecordType} #{r.RecordId}",
                slugs.FirstOrDefault(x => x.Type == r.RecordType && x.Id == r.RecordId)?.Slug,
                r.Field is null ? null : DisputeFields.DisplayName(r.RecordType ?? RecordType.Company, r.Field),
                r.ReportedValue, Unverified.Reason(r.Claim, publisher), r.SourceId, r.Key, r.Title, r.Url, publisher,
                Format.Date(r.PublishedOn, r.PublishedPrecision));
        }).ToList();
    }

    /// <summary>The resolve form for one reported value, prefilled from it (the editor checks it before saving).</summary>
    public static ResolveDisputeRequest NewRequest(DisputeItem item, ReportedValueView value, DateTimeOffset loadedAt)
    {
        var r = new ResolveDisputeRequest
        {
            Id = item.RecordId, RecordType = item.RecordType, Field = item.Field, Version = item.RecordVersion,
            ResolutionVersion = item.Resolution?.Version ?? 0, LoadedAt = loadedAt,
            AcceptedSourceId = value.Sources[0].SourceId, AcceptedValue = value.Value,
        };
        ReportedValueParser.Prefill(r);
        return r;
    }

    /// <summary>
    /// Accepts one reported value: writes the typed value into the record (for fields that have one), records the
    /// decision with the values seen and the reason, in one audited change that refreshes the company's figures.
    /// </summary>
    public async Task<SaveResult> ResolveAsync(ResolveDisputeRequest r, CancellationToken ct = default)
    {
        writer.EnsureCanEdit(); // before validating: a refused user learns nothing about the data
        var v = new Validator();
        r.Validate(v);
        if (!v.IsValid)
        {
            return SaveResult.Invalid(v.Errors);
        }
        var recordId = r.Id!.Value;
        var fieldName = DisputeFields.DisplayName(r.RecordType, r.Field);
        return await writer.SaveAsync(r.LoadedAt, async (edit, token) =>
        {
            var db = edit.Db;
            var reported = await db.Citations.AsNoTracking()
                .Where(c => c.RecordType == r.RecordType && c.RecordId == recordId && c.Field == r.Field && c.ReportedValue != null)
                .Select(c => new { c.SourceId, c.ReportedValue, c.Source.Publisher, c.Source.Title })
                .ToListAsync(token);
            var seen = reported.Select(c => DisputeRules.Normalize(c.ReportedValue!)).Distinct().Order(StringComparer.Ordinal).ToList();
            if (seen.Count < 2)
            {
                return SaveResult.Invalid("", $"{fieldName}: its sources no longer disagree, so there is nothing to resolve. Reload the list.");
            }
            var accepted = reported.FirstOrDefault(c => c.SourceId == r.AcceptedSourceId
                                                        && DisputeRules.Normalize(c.ReportedValue!) == DisputeRules.Normalize(r.AcceptedValue));
            if (accepted is null)
            {
                return SaveResult.Invalid(nameof(r.AcceptedValue),
                    $"Accepted value: no source reports \"{r.AcceptedValue}\" for {fieldName} (any more). Reload the list.");
            }

            var target = await LoadTargetAsync(db, r.RecordType, recordId, token);
            if (target is null)
            {
                return SaveResult.NotFound("This record has been deleted by another editor.");
            }
            if (r.Kind != DisputeFieldKind.None)
            {
                edit.ExpectVersion(target.Entity, r.Version, r.Overwrite);
                Apply(target.Entity, r);
            }

            var resolution = await db.DisputeResolutions
                .FirstOrDefaultAsync(d => d.RecordType == r.RecordType && d.RecordId == recordId && d.Field == r.Field, token);
            if (resolution is null)
            {
                if (r.ResolutionVersion != 0 && !r.Overwrite)
                {
                    // The decision the editor saw has been removed (reverted) since: let them look again first.
                    return SaveResult.NotFound("The earlier decision on this field has been reverted since. Reload the list.");
                }
                resolution = new DisputeResolution { RecordType = r.RecordType, RecordId = recordId, Field = r.Field, AcceptedValue = "", Reason = "" };
                db.DisputeResolutions.Add(resolution);
            }
            else
            {
                // Another editor may have decided in the meantime (ResolutionVersion 0 then fails the check too).
                edit.ExpectVersion(resolution, r.ResolutionVersion, r.Overwrite);
            }
            resolution.AcceptedValue = accepted.ReportedValue!.Trim();
            resolution.AcceptedSourceId = accepted.SourceId;
            resolution.Reason = r.Reason!.Trim();
            resolution.ValuesSeen = seen;
            resolution.ResolvedAt = DateTimeOffset.UtcNow;
            resolution.ResolvedBy = user.DisplayName;

            edit.Subject = resolution;
            edit.CompanyId = target.CompanyId;
            if (target.CompanyId is { } companyId)
            {
                edit.RefreshFiguresOf(companyId);
            }
            var by = accepted.Publisher ?? accepted.Title ?? $"source #{accepted.SourceId}";
            edit.Summary = $"Resolved disputed {fieldName.ToLowerInvariant()} of {target.Label}: accepted {resolution.AcceptedValue} ({by}). Reason: {resolution.Reason}";
            return null;
        }, ct);
    }

    private static void Apply(object entity, ResolveDisputeRequest r)
    {
        PartialDates.TryParse(r.Text, out var date, out var precision);
        var text = r.Text?.Trim();
        var amount = r.Amount!.GetValueOrDefault();
        switch (entity, r.Field)
        {
            case (Company c, "FoundedOn"): c.FoundedOn = date; c.FoundedPrecision = precision; break;
            case (Company c, "HeadquartersCity"): c.HeadquartersCity = text; break;
            case (Company c, "Website"): c.Website = text; break;
            case (FundingRound f, "AnnouncedOn"): f.AnnouncedOn = date; f.AnnouncedPrecision = precision; break;
            case (FundingRound f, "LabelAsAnnounced"): f.LabelAsAnnounced = text; break;
            case (FundingRound f, "Amount"):
                f.Currency = r.Currency;
                // A round size has no qualifier: "at least" and "at most" are a range, "about" an approximate amount.
                (f.Disclosure, f.Amount, f.AmountMin, f.AmountMax, f.AmountIsApproximate) = r.Qualifier switch
                {
                    FigureQualifier.AtLeast => (Disclosure.Range, (decimal?)null, (decimal?)amount, (decimal?)null, false),
                    FigureQualifier.AtMost => (Disclosure.Range, null, null, amount, false),
                    FigureQualifier.Approximate => (Disclosure.Disclosed, amount, null, null, true),
                    _ => (Disclosure.Disclosed, amount, null, null, false),
                };
                f.AmountText = null;
                break;
            case (FundingRound f, "PostMoneyValuation"):
                f.PostMoneyValuation = amount; f.PostMoneyCurrency = r.Currency; f.PostMoneyQualifier = r.Qualifier;
                break;
            case (ValuationPoint p, "Amount"): p.Amount = amount; p.Currency = r.Currency; p.Qualifier = r.Qualifier; break;
            case (ModelRelease m, "ReleasedOn"): m.ReleasedOn = date; m.Precision = precision; break;
            case (ModelRelease m, "Licence"): m.Licence = text; break;
            default: throw new InvalidOperationException($"{r.RecordType}.{r.Field} has a kind but no writer");
        }
    }

    private sealed record Target(object Entity, int? CompanyId, string Label);

    /// <summary>The disputed record, tracked so the accepted value can be written into it.</summary>
    private static async Task<Target?> LoadTargetAsync(AppDbContext db, RecordType type, int id, CancellationToken ct)
    {
        switch (type)
        {
            case RecordType.Company:
                var c = await db.Companies.FirstOrDefaultAsync(x => x.Id == id, ct);
                return c is null ? null : new Target(c, c.Id, c.NameEn);
            case RecordType.FundingRound:
                var f = await db.FundingRounds.Include(x => x.Company).FirstOrDefaultAsync(x => x.Id == id, ct);
                return f is null ? null : new Target(f, f.CompanyId, RoundLabel(f.Company.NameEn, f.Stage, f.AnnouncedOn, f.AnnouncedPrecision));
            case RecordType.ValuationPoint:
                var p = await db.ValuationPoints.Include(x => x.Company).FirstOrDefaultAsync(x => x.Id == id, ct);
                return p is null ? null : new Target(p, p.CompanyId, $"{p.Company.NameEn}'s {Format.Date(p.ValuedOn, p.Precision)} valuation");
            case RecordType.ModelRelease:
                var m = await db.ModelReleases.Include(x => x.Company).FirstOrDefaultAsync(x => x.Id == id, ct);
                return m is null ? null : new Target(m, m.CompanyId, $"{m.Company.NameEn}'s model {m.Name}");
            default:
                // Fields of other records (a stake, a role) are not written back: only the decision is recorded.
                var labels = await RecordLabels.LabelsAsync(db, [(type, id)], ct);
                if (!labels.TryGetValue((type, id), out var label))
                {
                    return null;
                }
                var companyId = type switch
                {
                    RecordType.Participation => await db.Participations.Where(x => x.Id == id).Select(x => (int?)x.FundingRound.CompanyId).FirstOrDefaultAsync(ct),
                    RecordType.CompanyEvent => await db.CompanyEvents.Where(x => x.Id == id).Select(x => (int?)x.CompanyId).FirstOrDefaultAsync(ct),
                    RecordType.CompanyRole => await db.CompanyRoles.Where(x => x.Id == id).Select(x => (int?)x.CompanyId).FirstOrDefaultAsync(ct),
                    _ => null,
                };
                return new Target(new object(), companyId, label);
        }
    }

    private static string RoundLabel(string company, RoundStage stage, DateOnly? on, DatePrecision precision) =>
        $"{company}'s {Format.Stage(stage)} round ({Format.Date(on, precision)})";

    /// <summary>A disputed field with whether a decision exists and whether a value has appeared since it.</summary>
    private sealed class KeyRow
    {
        public RecordType Type { get; init; }
        public int Id { get; init; }
        public string Field { get; init; } = "";
        public bool Resolved { get; init; }
        public bool Reopened { get; init; }
    }

    /// <summary>
    /// Every disputed field, as SQL: citations with a reported value grouped by record and field, more than one
    /// distinct normalized value, with its decision's state. Served by ix_citations_reported_values.
    /// </summary>
    private static IQueryable<KeyRow> Keys(AppDbContext db)
    {
        var reported = db.Citations
            .Where(c => c.RecordType != null && c.RecordId != null && c.Field != null && c.ReportedValue != null)
            .Select(c => new { Type = c.RecordType!.Value, Id = c.RecordId!.Value, Field = c.Field!, Value = c.ReportedValue!.Trim().ToLower() });
        var disputed = reported.GroupBy(x => new { x.Type, x.Id, x.Field })
            .Where(g => g.Select(x => x.Value).Distinct().Count() > 1)
            .Select(g => g.Key);
        return from k in disputed
               join d in db.DisputeResolutions on new { k.Type, k.Id, k.Field } equals new { Type = d.RecordType, Id = d.RecordId, d.Field } into ds
               from d in ds.DefaultIfEmpty()
               select new KeyRow
               {
                   Type = k.Type, Id = k.Id, Field = k.Field,
                   Resolved = d != null,
                   Reopened = d != null && reported.Any(x => x.Type == k.Type && x.Id == k.Id && x.Field == k.Field && !d.ValuesSeen.Contains(x.Value)),
               };
    }

    /// <summary>A disputed record's label, company and current values of the fields that can be disputed.</summary>
    private sealed record RecordRow(int Id, string Label, string? CompanyName, string? CompanyNameZh, string? CompanySlug,
        uint Version, IReadOnlyDictionary<string, string?> Values);

    /// <summary>One SQL command for the records of one type.</summary>
    private static async Task<List<RecordRow>> RecordsAsync(AppDbContext db, RecordType type, List<int> ids, CancellationToken ct)
    {
        switch (type)
        {
            case RecordType.Company:
                return (await db.Companies.AsNoTracking().Where(x => ids.Contains(x.Id))
                        .Select(x => new { x.Id, x.NameEn, x.NameZh, x.Slug, x.Version, x.FoundedOn, x.FoundedPrecision, x.HeadquartersCity, x.Website })
                        .ToListAsync(ct))
                    .Select(x => new RecordRow(x.Id, "Company", x.NameEn, x.NameZh, x.Slug, x.Version, new Dictionary<string, string?>
                    {
                        ["FoundedOn"] = x.FoundedOn is null ? null : Format.Date(x.FoundedOn, x.FoundedPrecision),
                        ["HeadquartersCity"] = x.HeadquartersCity,
                        ["Website"] = x.Website,
                    })).ToList();
            case RecordType.FundingRound:
                return (await db.FundingRounds.AsNoTracking().Where(x => ids.Contains(x.Id))
                        .Select(x => new { Round = x, x.Company.NameEn, x.Company.NameZh, x.Company.Slug })
                        .ToListAsync(ct))
                    .Select(x =>
                    {
                        var f = x.Round;
                        var label = $"{Format.Stage(f.Stage)} round{(f.LabelAsAnnounced is { } l ? $" ({l})" : "")}, {Format.Date(f.AnnouncedOn, f.AnnouncedPrecision)}";
                        return new RecordRow(f.Id, label, x.NameEn, x.NameZh, x.Slug, f.Version, new Dictionary<string, string?>
                        {
                            ["AnnouncedOn"] = f.AnnouncedOn is null ? null : Format.Date(f.AnnouncedOn, f.AnnouncedPrecision),
                            ["LabelAsAnnounced"] = f.LabelAsAnnounced,
                            ["Amount"] = Format.RoundSize(f.Disclosure, f.Currency, f.Amount, f.AmountIsApproximate, f.AmountMin, f.AmountMax),
                            ["PostMoneyValuation"] = f.PostMoneyValuation is { } pm ? Format.Money(pm, f.PostMoneyCurrency ?? f.Currency, f.PostMoneyQualifier) : null,
                        });
                    }).ToList();
            case RecordType.ValuationPoint:
                return (await db.ValuationPoints.AsNoTracking().Where(x => ids.Contains(x.Id))
                        .Select(x => new { x.Id, x.Version, x.ValuedOn, x.Precision, x.Amount, x.Currency, x.Qualifier, x.Basis, x.Company.NameEn, x.Company.NameZh, x.Company.Slug })
                        .ToListAsync(ct))
                    .Select(x => new RecordRow(x.Id, $"Valuation, {Format.Date(x.ValuedOn, x.Precision)} ({Format.Basis(x.Basis)})",
                        x.NameEn, x.NameZh, x.Slug, x.Version,
                        new Dictionary<string, string?> { ["Amount"] = Format.Money(x.Amount, x.Currency, x.Qualifier) })).ToList();
            case RecordType.ModelRelease:
                return (await db.ModelReleases.AsNoTracking().Where(x => ids.Contains(x.Id))
                        .Select(x => new { x.Id, x.Version, x.Name, x.ReleasedOn, x.Precision, x.Licence, x.Company.NameEn, x.Company.NameZh, x.Company.Slug })
                        .ToListAsync(ct))
                    .Select(x => new RecordRow(x.Id, $"Model {x.Name}", x.NameEn, x.NameZh, x.Slug, x.Version, new Dictionary<string, string?>
                    {
                        ["ReleasedOn"] = x.ReleasedOn is null ? null : Format.Date(x.ReleasedOn, x.Precision),
                        ["Licence"] = x.Licence,
                    })).ToList();
            case RecordType.Participation:
                return (await db.Participations.AsNoTracking().Where(x => ids.Contains(x.Id))
                        .Select(x => new
                        {
                            x.Id, x.Version, Investor = x.Investor.NameEn, x.FundingRound.Stage, x.FundingRound.AnnouncedOn, x.FundingRound.AnnouncedPrecision,
                            x.FundingRound.Company.NameEn, x.FundingRound.Company.NameZh, x.FundingRound.Company.Slug,
                        })
                        .ToListAsync(ct))
                    .Select(x => new RecordRow(x.Id, $"{x.Investor} in the {Format.Stage(x.Stage)} round, {Format.Date(x.AnnouncedOn, x.AnnouncedPrecision)}",
                        x.NameEn, x.NameZh, x.Slug, x.Version, new Dictionary<string, string?>())).ToList();
            default:
                // Other citable records hold no disputable figure of their own: their label is enough.
                var labels = await RecordLabels.LabelsAsync(db, ids.Select(id => (type, id)), ct);
                return labels.Select(l => new RecordRow(l.Key.Item2, l.Value, null, null, null, 0, new Dictionary<string, string?>())).ToList();
        }
    }
}

/// <summary>One disputed field: a record type, the record's id and the field's name.</summary>
internal sealed record DisputeKey(RecordType Type, int Id, string Field);
