using System.Globalization;
using System.Text.Json;
using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.History;

/// <summary>How the history shows record types, field names, stored values and links to records to people.</summary>
public static class HistoryFormat
{
    public static string TypeName(RecordType type) => type switch
    {
        RecordType.CompanyRole => "person's role",
        RecordType.FundingRound => "funding round",
        RecordType.ValuationPoint => "valuation",
        RecordType.CompanyEvent => "event",
        RecordType.ModelRelease => "model release",
        RecordType.ExchangeRate => "exchange rate",
        RecordType.RoundLabelMapping => "round label",
        RecordType.DisputeResolution => "dispute resolution",
        _ => type.ToString().ToLowerInvariant(),
    };

    public static string ActionName(AuditAction action) => action switch
    {
        AuditAction.Create => "Created",
        AuditAction.Update => "Changed",
        AuditAction.Delete => "Deleted",
        _ => "Reverted",
    };

    /// <summary>The record a field names by its id, by the field's name.</summary>
    public static RecordType? ReferenceType(string field) => field switch
    {
        "CompanyId" => RecordType.Company,
        "PersonId" => RecordType.Person,
        "InvestorId" or "ParentId" => RecordType.Investor,
        "FundingRoundId" => RecordType.FundingRound,
        "SourceId" or "AcceptedSourceId" => RecordType.Source,
        _ => null,
    };

    /// <summary>"AmountMin" → "Minimum amount", "NameZh" → "Name (Chinese)", "InvestorId" → "Investor".</summary>
    public static string FieldName(string field)
    {
        var special = field switch
        {
            "NameEn" => "Name (English)",
            "NameZh" => "Name (Chinese)",
            "LabelAsAnnounced" => "Label as announced",
            "AnnouncedOn" => "Announced",
            "AnnouncedPrecision" => "Announced date precision",
            "ClosedOn" => "Closed",
            "PostMoneyValuation" => "Post-money valuation",
            "PostMoneyCurrency" => "Post-money currency",
            "PostMoneyQualifier" => "Post-money qualifier",
            "PostMoneyIsEstimate" => "Post-money is an estimate",
            "UnitsPerUsd" => "Units per US$",
            "AmountMin" => "Minimum amount",
            "AmountMax" => "Maximum amount",
            "AmountText" => "Amount in words",
            "AmountIsApproximate" => "Amount is approximate",
            "CompanyId" => "Company",
            "PersonId" => "Person",
            "InvestorId" => "Investor",
            "ParentId" => "Part of",
            "FundingRoundId" => "Round",
            "SourceId" => "Source",
            "AcceptedSourceId" => "Accepted source",
            "RecordType" => "Record type",
            "RecordId" => "Record",
            "IsLead" => "Lead investor",
            "IsUnverified" => "Unverified",
            "FoundedOn" => "Founded",
            "FoundedPrecision" => "Founded date precision",
            "HeadquartersCity" => "Headquarters",
            "ListedOn" => "Listed",
            "ValuedOn" => "Valued",
            "OccurredOn" => "Date",
            "ReleasedOn" => "Released",
            "PublishedOn" => "Published",
            "PublishedPrecision" => "Published date precision",
            "PublishedOnIsInferred" => "Publication date inferred",
            "StartedOn" => "Started",
            "EndedOn" => "Ended",
            "BirthYear" => "Born",
            "Url" => "URL",
            "Key" => "Citation key",
            "Precision" => "Date precision",
            "ResolvedAt" => "Resolved",
            _ => null,
        };
        if (special is not null)
        {
            return special;
        }
        var words = new System.Text.StringBuilder();
        foreach (var ch in field)
        {
            if (char.IsUpper(ch) && words.Length > 0)
            {
                words.Append(' ').Append(char.ToLowerInvariant(ch));
            }
            else
            {
                words.Append(ch);
            }
        }
        return words.ToString();
    }

    public static string Value(JsonElement? value) => value switch
    {
        null => "—",
        { ValueKind: JsonValueKind.Null } => "—",
        { ValueKind: JsonValueKind.String } v => v.GetString() is { Length: > 0 } s ? s : "(empty)",
        { ValueKind: JsonValueKind.Number } v => v.TryGetDecimal(out var d) ? d.ToString("#,0.####", CultureInfo.InvariantCulture) : v.GetRawText(),
        { ValueKind: JsonValueKind.True } => "yes",
        { ValueKind: JsonValueKind.False } => "no",
        { ValueKind: JsonValueKind.Array } v => v.GetArrayLength() == 0 ? "(none)" : string.Join(", ", v.EnumerateArray().Select(e => Value(e))),
        { } v => v.GetRawText(),
    };

    public static string Describe(FieldChange c) => $"{FieldName(c.Field)}: {Value(c.Old)} → {Value(c.New)}";

    /// <summary>
    /// An entry's changed fields in words, ids as the names of what they point at ("Investor: Tencent", not
    /// "Investor id: 20"), stages, kinds and dates as people write them.
    /// </summary>
    public static IReadOnlyList<HistoryField> Fields(HistoryRow entry, RecordRefs refs)
    {
        var recordType = entry.Changes.FirstOrDefault(c => c.Field == "RecordType") is { } t
            && (t.New ?? t.Old) is { ValueKind: JsonValueKind.String } tv && Enum.TryParse<RecordType>(tv.GetString(), out var rt) ? rt
            : refs.Find(entry.RecordType, entry.RecordId)?.OfType;
        return entry.Changes.Select(c => new HistoryField(FieldName(c.Field),
            c.Old is null ? null : FieldValue(c.Field, c.Old, refs, recordType),
            c.New is null ? null : FieldValue(c.Field, c.New, refs, recordType))).ToList();
    }

    private static string FieldValue(string field, JsonElement? value, RecordRefs refs, RecordType? recordType)
    {
        if (value is not { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } v)
        {
            return "—";
        }
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var id))
        {
            if (ReferenceType(field) is { } type)
            {
                return refs.Find(type, id) is null ? $"{TypeName(type)} #{id} (no longer exists)" : HistoryWording.RecordName(refs, type, id);
            }
            if (field == "RecordId" && recordType is { } rt)
            {
                return refs.Find(rt, id) is null ? $"{TypeName(rt)} #{id}" : HistoryWording.RecordName(refs, rt, id);
            }
        }
        if (v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s)
        {
            if (field == "Stage" && Enum.TryParse<RoundStage>(s, out var stage))
            {
                return Format.Stage(stage);
            }
            if (field == "RecordType" && Enum.TryParse<RecordType>(s, out var type))
            {
                return TypeName(type);
            }
            if (field == "Kind" && Enum.TryParse<PersonRoleKind>(s, out var role) && s is not "Other")
            {
                return HistoryWording.RoleName(role);
            }
            if (field.EndsWith("Basis", StringComparison.Ordinal) && Enum.TryParse<ValuationBasis>(s, out var basis))
            {
                return Format.Basis(basis);
            }
            if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return Format.Date(date, DatePrecision.Day);
            }
            if (field is "Status" or "Kind" or "Disclosure" or "Qualifier" or "PostMoneyQualifier" or "Precision"
                || field.EndsWith("Precision", StringComparison.Ordinal))
            {
                return FieldName(s).ToLowerInvariant().Replace("ipo", "IPO", StringComparison.Ordinal); // "VentureCapital" → "venture capital"
            }
        }
        return Value(v);
    }

    /// <summary>Where a record can be opened, while it exists.</summary>
    public static HistoryLink? Link(RecordType type, int id, RecordRefs refs, string text)
    {
        var r = refs.Find(type, id);
        if (r is null)
        {
            return null;
        }
        return type switch
        {
            RecordType.Company => new(text, $"/companies/{r.Slug}"),
            RecordType.Person or RecordType.CompanyRole => new(text, $"/people/{r.Slug}"),
            RecordType.Investor => new(text, $"/investors/{r.Slug}"),
            RecordType.FundingRound or RecordType.Participation when r.RoundId is { } round => new(text, $"/companies/{r.CompanySlug}#round-{round}"),
            RecordType.ValuationPoint => new(text, $"/companies/{r.CompanySlug}", $"/valuations/{id}/edit"),
            RecordType.CompanyEvent => new(text, $"/companies/{r.CompanySlug}", $"/events/{id}/edit"),
            RecordType.ModelRelease => new(text, $"/companies/{r.CompanySlug}", $"/models/{id}/edit"),
            RecordType.Source or RecordType.Citation when r.SourceId is { } source => new(text, r.Detail, $"/sources/{source}/edit"),
            RecordType.ExchangeRate => new(text, null, $"/exchange-rates/{id}/edit"),
            RecordType.DisputeResolution => new(text, "/disputes"),
            RecordType.RoundLabelMapping => new(text, "/round-labels", $"/round-labels/{id}/edit"),
            _ => null,
        };
    }

    /// <summary>Links of an external address open in a new tab.</summary>
    public static bool IsExternal(string? href) => href is not null && !href.StartsWith('/');
}
