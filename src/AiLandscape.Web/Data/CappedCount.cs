using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Data;

/// <summary>
/// How many rows a list has, counted up to <see cref="CappedCount.Cap"/>: beyond that the list says "10,000+".
/// An exact count of a large match (a word in 33,000 of 200,000 source titles, the whole audit trail) reads every
/// matching row, which costs more than the page itself (0.2 s against 1 ms, measured at 1,000× the seed, ADR 0019).
/// </summary>
public readonly record struct ListTotal(int Count, bool IsLowerBound)
{
    /// <summary>"1,234" or "10,000+".</summary>
    public override string ToString() => Count.ToString("N0", CultureInfo.InvariantCulture) + (IsLowerBound ? "+" : "");
}

public static class CappedCount
{
    public const int Cap = 10_000;

    /// <summary>The number of rows, reading at most <paramref name="cap"/> + 1 of them.</summary>
    public static async Task<ListTotal> CountUpToAsync<T>(this IQueryable<T> query, int cap = Cap, CancellationToken ct = default)
    {
        var count = await query.Take(cap + 1).CountAsync(ct);
        return count > cap ? new ListTotal(cap, true) : new ListTotal(count, false);
    }
}
