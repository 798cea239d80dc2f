using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;

namespace AiLandscape.Web.Features.Rounds;

/// <summary>
/// Round-specific wording built only from <see cref="Format"/>'s pieces (symbols, compact numbers, totals), so money
/// still becomes text in one way everywhere.
/// </summary>
public static class RoundFormat
{
    public static string Disclosure(Disclosure disclosure) => disclosure switch
    {
        Data.Disclosure.Disclosed => "Disclosed amount",
        Data.Disclosure.Range => "Range",
        Data.Disclosure.Estimated => "Estimate",
        _ => "Undisclosed",
    };

    /// <summary>
    /// The standard stage to show beside a round's label as announced, or null when the label already says it
    /// ("Series B" beside "Series B" reads as a repeat; "B轮" or "Pre-B+" still get "Series B").
    /// </summary>
    public static string? StageBesideLabel(string? label, RoundStage stage)
    {
        var stageName = Format.Stage(stage);
        return label is null || Simplify(label) == Simplify(stageName) || Simplify(label) == Simplify(stage.ToString())
            ? null
            : stageName;
    }

    private static string Simplify(string text) =>
        new(text.Where(c => char.IsLetterOrDigit(c) || c == '+').Select(char.ToLowerInvariant).ToArray());

    /// <summary>A range in one currency: "≥ US$1B", "US$100M–1B", "≤ US$200M".</summary>
    public static string Range(decimal? min, decimal? max, string currency) => Format.Range(min, max, currency);

    /// <summary>"27 rounds · ≥ US$6.96B; 3 rounds undisclosed"; the total adds only the rounds that count.</summary>
    public static string Summary(RoundListResult result)
    {
        if (result.TotalCount == 0)
        {
            return "No rounds";
        }
        var rounds = Format.Plural(result.TotalCount, "round");
        return result.Total.RoundCount == 0
            ? rounds + " · nothing to add up"
            : rounds + " · " + Format.Total(result.Total);
    }

    /// <summary>Why the total leaves some listed rounds out; null when it leaves none out.</summary>
    public static string? NotAddedNote(RoundListResult result) => result.NotAddedCount == 0
        ? null
        : $"{Format.Plural(result.NotAddedCount, "round")} listed but not added: IPO proceeds, rounds still being raised " +
          "and unverified rounds are not part of the total.";
}
