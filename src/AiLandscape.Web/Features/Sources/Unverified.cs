namespace AiLandscape.Web.Features.Sources;

/// <summary>
/// The one wording of "unverified" (ADR 0013): a value reported by a source that does not itself establish it.
/// Pages, the API and exports all word it from here.
/// </summary>
public static class Unverified
{
    /// <summary>Why the value is unverified: the citation's own claim, or the general rule when it has none.</summary>
    public static string Reason(CitationView c) => Reason(c.Claim, c.PublisherLabel);

    public static string Reason(string? claim, string? publisher) =>
        claim ?? $"Reported by {publisher ?? "a source"}, which does not itself establish it; no stored source confirms it.";

    /// <summary>
    /// A reported value with its state in the text: "US$200M (PitchBook)" becomes "US$200M (PitchBook, unverified)",
    /// "2022" becomes "2022 (unverified)".
    /// </summary>
    public static string Label(string value, bool isUnverified)
    {
        value = value.Trim();
        if (!isUnverified)
        {
            return value;
        }
        return value.EndsWith(')') && value.Contains('(')
            ? value[..^1] + ", unverified)"
            : value + " (unverified)";
    }
}
