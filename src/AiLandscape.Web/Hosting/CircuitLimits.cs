namespace AiLandscape.Web.Hosting;

/// <summary>
/// The limits of the SignalR hub that carries every Blazor circuit, set on purpose rather than left at the defaults
/// (ADR 0014).
/// </summary>
public static class CircuitLimits
{
    /// <summary>
    /// The largest message the server accepts from a browser; a bigger one closes the circuit. The biggest message a
    /// page sends is the one that starts its circuit: it carries the state the prerender persisted (one value of at
    /// most <see cref="Components.PrerenderHandoff.MaxJsonBytes"/> of JSON, which base64 in the state, data protection
    /// and base64 again make about 1.8 times bigger: up to about 58 KB). Three times SignalR's 32 KB default holds that
    /// with room for the envelope and other components' state; each connection may make the server buffer this much,
    /// so it stays far below the megabytes that would invite memory exhaustion.
    /// </summary>
    public const int MaximumReceiveMessageSize = 96 * 1024;

    public static IServerSideBlazorBuilder AddHubLimits(this IServerSideBlazorBuilder builder) =>
        builder.AddHubOptions(options => options.MaximumReceiveMessageSize = MaximumReceiveMessageSize);
}
