using System.Globalization;
using System.Text.Json;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.History;

/// <summary>How the history shows record types, field names and stored values to people.</summary>
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

    /// <summary>"AmountMin" → "Amount min", "NameZh" → "Name (Chinese)".</summary>
    public static string FieldName(string field)
    {
        var special = field switch
        {
            "NameEn" => "Name (English)",
            "NameZh" => "Name (Chinese)",
            "LabelAsAnnounced" => "Label as announced",
            "AnnouncedOn" => "Announced",
            "PostMoneyValuation" => "Post-money valuation",
            "UnitsPerUsd" => "Units per US$",
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
}
