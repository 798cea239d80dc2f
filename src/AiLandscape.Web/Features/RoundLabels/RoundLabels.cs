using System.Text;

namespace AiLandscape.Web.Features.RoundLabels;

/// <summary>How a round label as announced is folded for look-up in the label table.</summary>
public static class RoundLabels
{
    /// <summary>
    /// NFKC first, so the full-width letters of Chinese typesetting ("Ａ轮", "Ｂ＋轮") become ASCII ("a轮", "b+轮");
    /// then lower case and no white space, so "Series B", "series b" and "SeriesB" are one label.
    /// </summary>
    public static string Normalize(string? label)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            return "";
        }
        var folded = Editing.TextRules.WellFormed(label).Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var sb = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
