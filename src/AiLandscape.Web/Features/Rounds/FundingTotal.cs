using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;

namespace AiLandscape.Web.Features.Rounds;

/// <summary>The size fields of a round needed to add it up.</summary>
public sealed record RoundAmount(Disclosure Disclosure, string Currency, decimal? Amount, decimal? AmountMin,
    DateOnly? AnnouncedOn, DatePrecision AnnouncedPrecision);

/// <summary>
/// Money raised across rounds in USD. Undisclosed rounds are counted, never added as zero; a range adds its
/// lower bound, so the total is then a floor ("≥ US$1.2B; 2 rounds undisclosed").
/// </summary>
public sealed record FundingTotal(
    decimal Usd,
    int RoundCount,
    int UndisclosedCount,
    int RangeCount,
    int EstimatedCount,
    int UnconvertedCount,
    bool UsesApproximateRates)
{
    public bool IsLowerBound => UndisclosedCount > 0 || RangeCount > 0 || UnconvertedCount > 0;
    public bool HasAnyAmount => RoundCount > UndisclosedCount + UnconvertedCount;

    public static FundingTotal Sum(IEnumerable<RoundAmount> rounds, CurrencyConverter converter)
    {
        decimal usd = 0;
        int count = 0, undisclosed = 0, ranges = 0, estimated = 0, unconverted = 0;
        var approximate = false;
        foreach (var r in rounds)
        {
            count++;
            var amount = Added(r);
            var isRange = r.Disclosure == Disclosure.Range;
            if (amount is null)
            {
                undisclosed++;
                continue;
            }
            var converted = converter.ToUsd(amount.Value, r.Currency, r.AnnouncedOn, r.AnnouncedPrecision);
            if (converted is null)
            {
                unconverted++;
                continue;
            }
            usd += converted.Usd;
            approximate |= converted.IsApproximate;
            ranges += isRange ? 1 : 0;
            estimated += r.Disclosure == Disclosure.Estimated ? 1 : 0;
        }
        return new FundingTotal(usd, count, undisclosed, ranges, estimated, unconverted, approximate);
    }

    /// <summary>The figure a round adds to a total, in its currency: the amount, a range's lower bound; null when undisclosed.</summary>
    public static decimal? Added(RoundAmount r) => r.Disclosure switch
    {
        Disclosure.Disclosed or Disclosure.Estimated => r.Amount,
        Disclosure.Range => r.AmountMin,
        _ => null,
    };
}
