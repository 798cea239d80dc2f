using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace AiLandscape.Web.Components;

/// <summary>
/// Hands what a page loaded while prerendering to its interactive circuit, so that the circuit does not run the same
/// queries again, but only when it is small. The browser sends the persisted state back to the server in the one
/// message that starts the circuit, and a message over the hub's limit (<see cref="Hosting.CircuitLimits"/>) closes
/// the circuit: the Tencent and Alibaba profiles lost theirs that way. A value over the budget is not persisted and
/// the circuit reads it again (ADR 0014).
/// </summary>
public static class PrerenderHandoff
{
    /// <summary>
    /// The most JSON one persisted value may take: a list's first page of 25 rows (the seed's rounds, with their
    /// investors and exchange-rate notes, take 24 KB); a page persists one value.
    /// </summary>
    public const int MaxJsonBytes = 32 * 1024;

    // The options PersistAsJson writes with, so that the size measured is the size sent.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Persists <paramref name="value"/>'s current value when the prerender ends, if it fits the budget.</summary>
    public static PersistingComponentStateSubscription PersistIfSmall<T>(this PersistentComponentState state, string key,
        Func<T?> value) where T : class =>
        state.RegisterOnPersisting(() =>
        {
            if (value() is { } current && Fits(current))
            {
                state.PersistAsJson(key, current);
            }
            return Task.CompletedTask;
        }, RenderMode.InteractiveServer);

    /// <summary>Whether a value is small enough to be handed to the circuit.</summary>
    public static bool Fits<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Json).Length <= MaxJsonBytes;

    /// <summary>A view's query in a stable text form, to tell whether the circuit asks for the prerendered view.</summary>
    public static string ViewKey(object query) => JsonSerializer.Serialize(query, Json);

    /// <summary>The value the prerender persisted under <paramref name="key"/>, once (null when there is none).</summary>
    public static bool TryTake<T>(this PersistentComponentState state, string key, [NotNullWhen(true)] out T? value)
        where T : class =>
        state.TryTakeFromJson(key, out value) && value is not null;
}

/// <summary>
/// What a list page loaded while prerendering (its first page of rows, with the count) and the view it answers
/// (<paramref name="Key"/>: the page's query in a stable text form). The circuit uses it for its first load of that
/// same view instead of running the query again.
/// </summary>
public sealed record PrerenderedView<T>(string Key, T Value);
