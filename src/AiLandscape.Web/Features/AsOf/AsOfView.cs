using System.Globalization;

namespace AiLandscape.Web.Features.AsOf;

/// <summary>The two senses of "as of a date" a reader can choose.</summary>
public enum AsOfMode
{
    /// <summary>Only rounds, valuations, events and model releases dated on or before the day.</summary>
    EventTime,
    /// <summary>What the database held at the end of the day (UTC), rebuilt from the audit trail.</summary>
    KnowledgeTime,
}

/// <summary>
/// A page's <c>?asOf=YYYY-MM-DD&amp;view=event|knowledge</c>: the landscape as it stood on a day, in one of two senses.
/// </summary>
public sealed record AsOfView(DateOnly Date, AsOfMode Mode)
{
    public const string DateParameter = "asOf";
    public const string ModeParameter = "view";
    public static readonly DateOnly Earliest = new(1990, 1, 1);

    /// <summary>The latest day a reader may ask for: readers ahead of UTC may pick their own today.</summary>
    public static DateOnly ReadersToday => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(14));

    /// <summary>The first instant after the day in UTC: knowledge recorded from then on is undone.</summary>
    public DateTimeOffset KnowledgeCutoff => new(Date.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public string DateText => Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string ModeText => Mode == AsOfMode.KnowledgeTime ? "knowledge" : "event";

    /// <summary>The query string that selects this view, for links and redirects.</summary>
    public string Query => $"{DateParameter}={DateText}&{ModeParameter}={ModeText}";

    /// <summary>Reads the query parameters: null when absent; an error naming the parameter and the rule when invalid.</summary>
    public static AsOfView? Parse(string? asOf, string? view, DateOnly today, out string? error)
    {
        error = null;
        var mode = AsOfMode.EventTime;
        if (!string.IsNullOrWhiteSpace(view))
        {
            switch (view.Trim().ToLowerInvariant())
            {
                case "event": mode = AsOfMode.EventTime; break;
                case "knowledge": mode = AsOfMode.KnowledgeTime; break;
                default:
                    error = $"“{ModeParameter}” must be “event” or “knowledge”.";
                    return null;
            }
        }
        if (string.IsNullOrWhiteSpace(asOf))
        {
            return null;
        }
        if (!DateOnly.TryParseExact(asOf.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            error = $"“{DateParameter}” must be a date written YYYY-MM-DD, such as 2025-01-01.";
            return null;
        }
        if (date < Earliest || date > today)
        {
            error = $"“{DateParameter}” must be between {Earliest:yyyy-MM-dd} and today ({today:yyyy-MM-dd}).";
            return null;
        }
        return new AsOfView(date, mode);
    }

    /// <summary>Adds or replaces this view's parameters on a local URL (null removes them: "today").</summary>
    public static string Apply(string url, AsOfView? view)
    {
        var q = url.IndexOf('?');
        var path = q < 0 ? url : url[..q];
        var kept = q < 0 ? [] : url[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith(DateParameter + "=", StringComparison.OrdinalIgnoreCase)
                        && !p.StartsWith(ModeParameter + "=", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (view is not null)
        {
            kept.Add(view.Query);
        }
        return kept.Count == 0 ? path : path + "?" + string.Join("&", kept);
    }
}
