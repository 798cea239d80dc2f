using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Sources;

namespace AiLandscape.Web.Features.Disputes;

/// <summary>Which disputes the list shows. Open includes reopened ones: both need an editor.</summary>
public enum DisputeStatus { Open, Resolved, All }

/// <summary>Where a disputed field stands.</summary>
public enum DisputeState
{
    /// <summary>Its sources agree (or only one reports a value): nothing to decide.</summary>
    None,
    Open,
    Resolved,
    /// <summary>Resolved, but a source has since reported a value the editor did not see.</summary>
    Reopened,
}

/// <summary>An editor's decision on a disputed field, as shown next to the figure and on /disputes.</summary>
public sealed record DisputeResolutionView(
    int Id,
    string AcceptedValue,
    int? AcceptedSourceId,
    string Reason,
    IReadOnlyList<string> ValuesSeen,
    DateTimeOffset ResolvedAt,
    string? ResolvedBy,
    uint Version);

/// <summary>The one definition of "disputed" and of a resolution still holding, used by the list, profiles and /compare.</summary>
public static class DisputeRules
{
    /// <summary>Reported values compare trimmed and case-insensitively ("US$1.2B" = "us$1.2b ").</summary>
    public static string Normalize(string value) => value.Trim().ToLowerInvariant();

    public static DisputeState StateOf(IEnumerable<string?> reportedValues, DisputeResolutionView? resolution)
    {
        var values = reportedValues.OfType<string>().Select(Normalize).Distinct().ToList();
        if (values.Count < 2)
        {
            return DisputeState.None;
        }
        if (resolution is null)
        {
            return DisputeState.Open;
        }
        // A value the editor never chose among reopens the decision: it may change the answer.
        return values.All(resolution.ValuesSeen.Contains) ? DisputeState.Resolved : DisputeState.Reopened;
    }

    public static DisputeState StateOf(IReadOnlyList<CitationView> fieldCitations) =>
        StateOf(fieldCitations.Select(c => c.ReportedValue), fieldCitations.Select(c => c.Resolution).FirstOrDefault(r => r is not null));
}

/// <summary>How a disputed field is typed when an editor accepts a value; None: only the decision is recorded.</summary>
public enum DisputeFieldKind { None, Date, Text, Url, Amount }

/// <summary>The fields a resolution writes back to their record, and how each is typed in the form.</summary>
public static class DisputeFields
{
    public static DisputeFieldKind KindOf(RecordType type, string field) => (type, field) switch
    {
        (RecordType.Company, "FoundedOn") => DisputeFieldKind.Date,
        (RecordType.Company, "HeadquartersCity") => DisputeFieldKind.Text,
        (RecordType.Company, "Website") => DisputeFieldKind.Url,
        (RecordType.FundingRound, "AnnouncedOn") => DisputeFieldKind.Date,
        (RecordType.FundingRound, "LabelAsAnnounced") => DisputeFieldKind.Text,
        (RecordType.FundingRound, "Amount") => DisputeFieldKind.Amount,
        (RecordType.FundingRound, "PostMoneyValuation") => DisputeFieldKind.Amount,
        (RecordType.ValuationPoint, "Amount") => DisputeFieldKind.Amount,
        (RecordType.ModelRelease, "ReleasedOn") => DisputeFieldKind.Date,
        (RecordType.ModelRelease, "Licence") => DisputeFieldKind.Text,
        _ => DisputeFieldKind.None,
    };

    /// <summary>The longest text each text field's column holds.</summary>
    public static int MaxLength(RecordType type, string field) => (type, field) switch
    {
        (RecordType.Company, "Website") => 500,
        (RecordType.Company, "HeadquartersCity") => 100,
        (RecordType.FundingRound, "LabelAsAnnounced") => 100,
        _ => 200,
    };

    public static string DisplayName(RecordType type, string field) => (type, field) switch
    {
        (_, "FoundedOn") => "Founded",
        (_, "HeadquartersCity") => "Headquarters",
        (_, "AnnouncedOn") => "Announced",
        (_, "ReleasedOn") => "Released",
        (_, "LabelAsAnnounced") => "Label as announced",
        (RecordType.FundingRound, "Amount") => "Round size",
        (_, "PostMoneyValuation") => "Post-money valuation",
        (_, "TotalRaised") => "Total raised",
        (_, "SeriesBRound") => "Round called Series B",
        (_, "AmountWithOverAllotment") => "Raised with the over-allotment",
        (_, "LicenceLater") => "Later licence",
        (_, "Stake") => "Stake",
        _ => History.HistoryFormat.FieldName(field),
    };
}

/// <summary>One value some sources reported for a disputed field, with those sources, strongest first.</summary>
public sealed record ReportedValueView(string Value, IReadOnlyList<CitationView> Sources)
{
    public string Normalized => DisputeRules.Normalize(Value);
    /// <summary>The strongest source's kind: values are ordered by it.</summary>
    public SourceKind BestKind => Sources.Min(s => s.Kind);
}

/// <summary>A disputed field on /disputes: the record, its current value, what sources say and any decision.</summary>
public sealed record DisputeItem(
    RecordType RecordType,
    int RecordId,
    string Field,
    string FieldName,
    DisputeFieldKind Kind,
    string RecordLabel,
    string? CompanyName,
    string? CompanyNameZh,
    string? CompanySlug,
    string CurrentValue,
    uint RecordVersion,
    IReadOnlyList<ReportedValueView> Values,
    DisputeResolutionView? Resolution,
    DisputeState State)
{
    /// <summary>A stable id for the page (anchors, test ids).</summary>
    public string Key => $"{RecordType}-{RecordId}-{Field}";
}

public sealed record DisputePage(IReadOnlyList<DisputeItem> Items, int TotalCount, DateTimeOffset LoadedAt);

/// <summary>An editor accepts one reported value of a disputed field, says why, and types the record's new value.</summary>
public sealed class ResolveDisputeRequest : EditRequest
{
    /// <summary>The disputed record's id.</summary>
    public override int? Id { get; set; }
    public RecordType RecordType { get; set; }
    public string Field { get; set; } = "";
    /// <summary>The source whose reported value is accepted.</summary>
    public int AcceptedSourceId { get; set; }
    /// <summary>The reported value accepted, as that source gave it.</summary>
    public string AcceptedValue { get; set; } = "";
    public string? Reason { get; set; }
    /// <summary>The record's new value of a date field (YYYY, YYYY-MM, YYYY-Qn, YYYY-MM-DD) or a text field.</summary>
    public string? Text { get; set; }
    public decimal? Amount { get; set; }
    public string Currency { get; set; } = "USD";
    public FigureQualifier Qualifier { get; set; } = FigureQualifier.Exact;
    /// <summary>The existing decision's xmin when the form was loaded; 0 when the field was never resolved.</summary>
    public uint ResolutionVersion { get; set; }

    public const int ReasonMaxLength = 2000;

    public DisputeFieldKind Kind => DisputeFields.KindOf(RecordType, Field);

    public override void Validate(Validator v)
    {
        if (Id is not > 0)
        {
            v.Error(nameof(Id), "Record is required.");
        }
        if (AcceptedSourceId <= 0)
        {
            v.Error(nameof(AcceptedSourceId), "Accepted source is required.");
        }
        v.Required(nameof(AcceptedValue), "Accepted value", AcceptedValue)
            .MaxLength(nameof(AcceptedValue), "Accepted value", AcceptedValue, 500)
            .Required(nameof(Reason), "Reason", Reason)
            .MaxLength(nameof(Reason), "Reason", Reason, ReasonMaxLength);
        var label = DisputeFields.DisplayName(RecordType, Field);
        switch (Kind)
        {
            case DisputeFieldKind.Date:
                v.PartialDate(nameof(Text), label, Text, required: true);
                break;
            case DisputeFieldKind.Text:
                v.Required(nameof(Text), label, Text).MaxLength(nameof(Text), label, Text, DisputeFields.MaxLength(RecordType, Field));
                break;
            case DisputeFieldKind.Url:
                v.Required(nameof(Text), label, Text).MaxLength(nameof(Text), label, Text, DisputeFields.MaxLength(RecordType, Field))
                    .HttpUrl(nameof(Text), label, Text);
                break;
            case DisputeFieldKind.Amount:
                v.Required(nameof(Amount), label, Amount).NotNegative(nameof(Amount), label, Amount)
                    .Currency(nameof(Currency), "Currency", Currency);
                break;
        }
    }
}

/// <summary>An unverified citation on the editors' list: the record, the field and value, its source and why.</summary>
public sealed record UnverifiedItem(
    int CitationId,
    RecordType? RecordType,
    int? RecordId,
    string RecordLabel,
    string? CompanySlug,
    string? FieldName,
    string? ReportedValue,
    string Reason,
    int SourceId,
    string? SourceKey,
    string SourceTitle,
    string? SourceUrl,
    string? Publisher,
    string Published);
