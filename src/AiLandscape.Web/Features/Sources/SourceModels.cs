using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Disputes;

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
    /// <summary>
    /// The editor's decision on the field this citation speaks to, if any: the same on every citation of the field,
    /// so that a marker given a field's citations also knows whether its dispute is resolved.
    /// </summary>
    public DisputeResolutionView? Resolution { get; init; }

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

    /// <summary>The editor's decision on a field, if it has one.</summary>
    public DisputeResolutionView? ResolutionOf(RecordType type, int id, string field) =>
        ForField(type, id, field).Select(c => c.Resolution).FirstOrDefault(r => r is not null);

    /// <summary>Open, resolved or reopened (a source reported a new value since the decision); None when sources agree.</summary>
    public DisputeState StateOf(RecordType type, int id, string field) => DisputeRules.StateOf(ForField(type, id, field));

    /// <summary>Sources disagree and no decision (still) settles it: the figure should carry "disputed".</summary>
    public bool IsOpenDispute(RecordType type, int id, string field) =>
        StateOf(type, id, field) is DisputeState.Open or DisputeState.Reopened;

    public static bool AreDisputed(IEnumerable<CitationView> fieldCitations) =>
        DisputeRules.StateOf(fieldCitations.Select(c => c.ReportedValue), null) != DisputeState.None;
}
