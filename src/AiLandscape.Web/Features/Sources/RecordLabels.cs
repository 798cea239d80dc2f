using System.Globalization;
using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.History;
using AiLandscape.Web.Features.Search;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Sources;

/// <summary>
/// Names records that citations point at by type and id ("funding round #12 · Moonshot AI, Series B, Feb 2024"), and
/// finds them by name or number for the citation picker: one SQL command per record type.
/// </summary>
public static class RecordLabels
{
    private sealed class Row
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public string? Alt { get; init; }
        public string? Context { get; init; }
        public DateOnly? On { get; init; }
        public DatePrecision Precision { get; init; }
        public RoundStage? Stage { get; init; }
    }

    /// <summary>Records of the type whose name (or company's name) contains the text, or whose id it is.</summary>
    public static async Task<IReadOnlyList<RecordOption>> SearchAsync(AppDbContext db, RecordType type, string? text, CancellationToken ct)
    {
        var rows = Rows(db, type);
        var t = text?.Trim().TrimStart('#') ?? "";
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            rows = rows.Where(r => r.Id == id);
        }
        else if (t.Length > 0)
        {
            var pattern = "%" + TextSearch.EscapeLike(t) + "%";
            rows = rows.Where(r => EF.Functions.ILike(r.Name, pattern, "\\") || EF.Functions.ILike(r.Alt!, pattern, "\\")
                                   || EF.Functions.ILike(r.Context!, pattern, "\\"));
        }
        var found = await rows.OrderBy(r => r.Context).ThenBy(r => r.On).ThenBy(r => r.Name).Take(20).ToListAsync(ct);
        return found.Select(r => new RecordOption(type, r.Id, Label(type, r))).ToList();
    }

    /// <summary>The labels of the given records; a record that does not exist has none.</summary>
    public static async Task<Dictionary<(RecordType, int), string>> LabelsAsync(AppDbContext db,
        IEnumerable<(RecordType Type, int Id)> records, CancellationToken ct)
    {
        var labels = new Dictionary<(RecordType, int), string>();
        foreach (var group in records.Distinct().GroupBy(r => r.Type))
        {
            var ids = group.Select(r => r.Id).ToList();
            var rows = Rows(db, group.Key);
            foreach (var row in await rows.Where(r => ids.Contains(r.Id)).ToListAsync(ct))
            {
                labels[(group.Key, row.Id)] = Label(group.Key, row);
            }
        }
        return labels;
    }

    private static string Label(RecordType type, Row r)
    {
        var parts = new List<string> { r.Name };
        if (r.Stage is { } stage)
        {
            parts.Add(Format.Stage(stage));
        }
        if (r.Context is not null)
        {
            parts.Add(r.Context);
        }
        if (r.On is not null)
        {
            parts.Add(Format.Date(r.On, r.Precision));
        }
        return $"{HistoryFormat.TypeName(type)} #{r.Id} · {string.Join(", ", parts)}";
    }

    // Every member is set in every projection: EF can only filter and sort on members the projection assigns.
    private static IQueryable<Row> Rows(AppDbContext db, RecordType type) => type switch
    {
        RecordType.Company => db.Companies.AsNoTracking().Select(x => new Row
            { Id = x.Id, Name = x.NameEn, Alt = x.NameZh, Context = null, On = null, Precision = DatePrecision.Day, Stage = null }),
        RecordType.Person => db.People.AsNoTracking().Select(x => new Row
            { Id = x.Id, Name = x.NameEn, Alt = x.NameZh, Context = null, On = null, Precision = DatePrecision.Day, Stage = null }),
        RecordType.Investor => db.Investors.AsNoTracking().Select(x => new Row
            { Id = x.Id, Name = x.NameEn, Alt = x.NameZh, Context = null, On = null, Precision = DatePrecision.Day, Stage = null }),
        RecordType.CompanyRole => db.CompanyRoles.AsNoTracking().Select(x => new Row
            { Id = x.Id, Name = x.Person.NameEn, Alt = x.Title, Context = x.Company.NameEn, On = x.StartedOn, Precision = DatePrecision.Day, Stage = null }),
        RecordType.FundingRound => db.FundingRounds.AsNoTracking().Select(x => new Row
            { Id = x.Id, Name = x.Company.NameEn, Alt = x.LabelAsAnnounced, Context = null, On = x.AnnouncedOn, Precision = x.AnnouncedPrecision, Stage = x.Stage }),
        RecordType.Participation => db.Participations.AsNoTracking().Select(x => new Row
            { Id = x.Id, Name = x.Investor.NameEn, Alt = x.Investor.NameZh, Context = x.FundingRound.Company.NameEn, On = x.FundingRound.AnnouncedOn, Precision = x.FundingRound.AnnouncedPrecision, Stage = x.FundingRound.Stage }),
        RecordType.ValuationPoint => db.ValuationPoints.AsNoTracking().Select(x => new Row
            { Id = x.Id, Name = x.Company.NameEn, Alt = x.Company.NameZh, Context = null, On = x.ValuedOn, Precision = x.Precision, Stage = null }),
        RecordType.CompanyEvent => db.CompanyEvents.AsNoTracking().Select(x => new Row
            { Id = x.Id, Name = x.Title, Alt = null, Context = x.Company.NameEn, On = x.OccurredOn, Precision = x.Precision, Stage = null }),
        RecordType.ModelRelease => db.ModelReleases.AsNoTracking().Select(x => new Row
            { Id = x.Id, Name = x.Name, Alt = null, Context = x.Company.NameEn, On = x.ReleasedOn, Precision = x.Precision, Stage = null }),
        // Nothing else is citable: no rows, still an EF query.
        _ => db.Companies.AsNoTracking().Where(x => false).Select(x => new Row
            { Id = x.Id, Name = x.NameEn, Alt = null, Context = null, On = null, Precision = DatePrecision.Day, Stage = null }),
    };
}
