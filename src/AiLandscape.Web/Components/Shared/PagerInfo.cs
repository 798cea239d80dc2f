using AiLandscape.Web.Data;

namespace AiLandscape.Web.Components.Shared;

/// <summary>The pager's "1-25 of 1,234" label; "of 10,000+" when the list counted only up to its cap.</summary>
public static class PagerInfo
{
    public static string Format(bool totalIsLowerBound) => totalIsLowerBound
        ? "{first_item}-{last_item} of " + new ListTotal(CappedCount.Cap, true)
        : "{first_item}-{last_item} of {all_items}";
}
