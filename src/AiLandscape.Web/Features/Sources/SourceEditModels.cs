using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.Sources;

/// <summary>The source form with its citations: what the editor types, with its rules.</summary>
public sealed partial class SourceRequest : EditRequest
{
    /// <summary>The record types a citation can point at (not sources, citations or exchange rates).</summary>
    public static readonly IReadOnlyList<RecordType> CitableTypes =
    [
        RecordType.Company, RecordType.FundingRound, RecordType.ValuationPoint, RecordType.Participation,
        RecordType.CompanyEvent, RecordType.ModelRelease, RecordType.Investor, RecordType.Person, RecordType.CompanyRole,
    ];

    /// <summary>Null for a new source.</summary>
    public override int? Id { get; set; }
    public string? Url { get; set; }
    public string? Title { get; set; }
    public string? Publisher { get; set; }
    /// <summary>The original publisher when the URL is a mirror or copy.</summary>
    public string? OriginalPublisher { get; set; }
    /// <summary>YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD.</summary>
    public string? PublishedOn { get; set; }
    public bool PublishedOnIsInferred { get; set; }
    public SourceKind Kind { get; set; } = SourceKind.Other;
    /// <summary>BCP 47 tag: en, zh, zh-Hans.</summary>
    public string? Language { get; set; }
    public string? Notes { get; set; }
    public List<CitationInput> Citations { get; set; } = [];

    public override void Validate(Validator v)
    {
        if (string.IsNullOrWhiteSpace(Url) && string.IsNullOrWhiteSpace(Title))
        {
            v.Error(nameof(Title), "Title: give a title, a URL or both.");
        }
        v.HttpUrl(nameof(Url), "URL", Url)
            .MaxLength(nameof(Url), "URL", Url, 2000)
            .MaxLength(nameof(Title), "Title", Title, 500)
            .MaxLength(nameof(Publisher), "Publisher", Publisher, 200)
            .MaxLength(nameof(OriginalPublisher), "Original publisher", OriginalPublisher, 200)
            .PartialDate(nameof(PublishedOn), "Published", PublishedOn, required: false)
            .MaxLength(nameof(Notes), "Notes", Notes, 4000);
        v.Language(nameof(Language), "Language", Language);

        var seen = new HashSet<(RecordType?, int?, string?)>();
        for (var i = 0; i < Citations.Count; i++)
        {
            var c = Citations[i];
            var n = $"Citation {i + 1}";
            if (c.RecordType is { } type && !CitableTypes.Contains(type))
            {
                v.Error($"Citations[{i}].Record", $"{n}: record: a source cannot cite a {type}.");
            }
            else if (c.RecordType is not null && c.RecordId is null)
            {
                v.Error($"Citations[{i}].Record", $"{n}: record: pick the record this source speaks to.");
            }
            else if (c.RecordType is null && c.RecordId is not null)
            {
                v.Error($"Citations[{i}].Record", $"{n}: record: choose the kind of record.");
            }
            else if (c.RecordType is null && string.IsNullOrWhiteSpace(c.Claim))
            {
                v.Error($"Citations[{i}].Record", $"{n}: pick a record, or write the claim the source makes.");
            }
            else if (c.RecordType is not null && !seen.Add((c.RecordType, c.RecordId, Clean(c.Field))))
            {
                v.Error($"Citations[{i}].Record", $"{n}: this record{(Clean(c.Field) is { } f ? $" and field {f}" : "")} is cited twice.");
            }
            v.MaxLength($"Citations[{i}].Field", $"{n}: field", c.Field, 64)
                .MaxLength($"Citations[{i}].ReportedValue", $"{n}: reported value", c.ReportedValue, 500)
                .MaxLength($"Citations[{i}].Claim", $"{n}: claim", c.Claim, 4000);
        }
    }

    internal static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

}

/// <summary>One citation of the source: the record (and field) it backs, the value it reported, the claim.</summary>
public sealed class CitationInput
{
    /// <summary>Null for a new citation.</summary>
    public int? Id { get; set; }
    public RecordType? RecordType { get; set; }
    public int? RecordId { get; set; }
    /// <summary>Shown on the form ("funding round #12 · Moonshot AI ..."); not written.</summary>
    public string? RecordLabel { get; set; }
    public string? Field { get; set; }
    public string? ReportedValue { get; set; }
    public string? Claim { get; set; }
    public bool IsUnverified { get; set; }
}

/// <summary>A record a citation can point at, as the picker offers it.</summary>
public sealed record RecordOption(RecordType Type, int Id, string Label);

public sealed record SourceListQuery(string? Text = null, int Page = 0, int PageSize = 25);

public sealed record SourceListRow(int Id, string? Key, string? Title, string? Url, string? Publisher, DateOnly? PublishedOn,
    DatePrecision PublishedPrecision, SourceKind Kind, string? Language, int CitationCount);

/// <param name="TotalIsLowerBound">More sources match than <see cref="CappedCount.Cap"/>: "10,000+".</param>
public sealed record SourceListResult(IReadOnlyList<SourceListRow> Items, int TotalCount, bool TotalIsLowerBound = false);
