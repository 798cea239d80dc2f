namespace AiLandscape.Web.Data;

/// <summary>
/// The tables whose past is kept as data (ADR 0032, migration <c>KeptHistory</c>): each has <c>&lt;table&gt;_history</c>
/// with every version of every row and the period it was known (<c>valid</c>, from the writing transaction's start
/// until the transaction that changed or deleted it). PostgreSQL triggers write it in the writing transaction;
/// the app's role may only read it.
/// </summary>
public static class KeptHistory
{
    public static readonly IReadOnlyList<string> Tables =
    [
        "companies", "investors", "people", "company_roles", "funding_rounds", "participations", "valuation_points",
        "company_events", "model_releases", "sources", "citations", "exchange_rates", "dispute_resolutions",
        "round_label_mappings",
    ];

    public static string HistoryOf(string table) => table + "_history";

    /// <summary>
    /// Said inside a transaction (<c>SET LOCAL</c>), rows it inserts count as known from the start: the seed dataset,
    /// which reports what was true before anyone used the app.
    /// </summary>
    public const string KnownFromTheStartSql = "SET LOCAL ailandscape.known_from = '-infinity'";
}
