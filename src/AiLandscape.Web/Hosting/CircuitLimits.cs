namespace AiLandscape.Web.Hosting;

/// <summary>
/// The limits of the SignalR hub that carries every Blazor circuit, set on purpose rather than left at the defaults
/// (ADR 0014).
/// </summary>
public static class CircuitLimits
{
    /// <summary>
    /// The largest message the server accepts from a browser; a bigger one closes the circuit. The biggest message a
    /// page sends is the one that starts its circuit: it carries the state the prerender persisted (at most
    /// <see cref="Components.PrerenderHandoff.MaxJsonBytes"/> of JSON per value, about 1.4 times that once protected
    /// and base64-encoded). Twice SignalR's 32 KB default leaves room for two such values; each connection may make
    /// the server buffer this much, so it stays far below the megabytes that would invite memory exhaustion.
    /// </summary>
    public const int MaximumReceiveMessageSize = 64 * 1024;

    public static IServerSideBlazorBuilder AddHubLimits(this IServerSideBlazorBuilder builder) =>
        builder.AddHubOptions(options => options.MaximumReceiveMessageSize = MaximumReceiveMessageSize);
}
