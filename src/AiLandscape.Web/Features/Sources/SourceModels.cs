using AiLandscape.Web.Data;

namespace AiLandscape.Web.Features.Sources;

/// <summary>One source backing one record (and maybe one field of it), as shown next to a figure.</summary>
public sealed record CitationView(
    int SourceId,
    string? SourceKey,
    string Title,
    string? Url,
    string? Publisher,
    string? OriginalPublisher,
    DateOnly? PublishedOn,
    DatePrecision PublishedPrecision,
    SourceKind Kind,
    RecordType? RecordType,
    int? RecordId,
    string? Field,
    string? ReportedValue,
    string? Claim,
    bool IsUnverified)
{
    /// <summary>BCP 47 tag of the source's text ("en", "zh").</summary>
    public string? Language { get; init; }

    public string PublisherLabel => OriginalPublisher is null || OriginalPublisher == Publisher
        ? Publisher ?? "unknown publisher"
        : $"{OriginalPublisher} (via {Publisher})";
}

/// <summary>The citations of a set of records, with look-ups by record and by field.</summary>
public sealed class CitationIndex(IReadOnlyList<CitationView> citations)
{
    private readonly ILookup<(RecordType?, int?), CitationView> _byRecord =
        citations.ToLookup(c => (c.RecordType, c.RecordId));

    public static CitationIndex Empty { get; } = new([]);

    public IReadOnlyList<CitationView> All => citations;

    /// <summary>Every source of a record, one entry per source.</summary>
    public IReadOnlyList<CitationView> For(RecordType type, int id) =>
        _byRecord[(type, id)].DistinctBy(c => c.SourceId).ToList();

    /// <summary>The citations that speak to one field of a record.</summary>
    public IReadOnlyList<CitationView> ForField(RecordType type, int id, string field) =>
        _byRecord[(type, id)].Where(c => c.Field == field).ToList();

    /// <summary>A field is disputed when its sources report more than one distinct value.</summary>
    public bool IsDisputed(RecordType type, int id, string field) => AreDisputed(ForField(type, id, field));

    public static bool AreDisputed(IEnumerable<CitationView> fieldCitations) =>
        fieldCitations.Where(c => c.ReportedValue is not null)
            .Select(c => c.ReportedValue!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Skip(1).Any();
}
