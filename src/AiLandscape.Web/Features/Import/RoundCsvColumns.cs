namespace AiLandscape.Web.Features.Import;

/// <summary>
/// The columns of a rounds CSV, shared by the import and the /export/rounds.csv download so that an exported file
/// can be imported again. <c>docs/import/rounds.md</c> describes each one.
/// </summary>
public static class RoundCsvColumns
{
    public const string Company = "company";
    public const string Announced = "announced";
    public const string Closed = "closed";
    public const string Label = "label";
    public const string Stage = "stage";
    public const string Status = "status";
    public const string Disclosure = "disclosure";
    public const string Currency = "currency";
    public const string Amount = "amount";
    public const string AmountApproximate = "amount_approximate";
    public const string AmountMin = "amount_min";
    public const string AmountMax = "amount_max";
    public const string AmountText = "amount_text";
    public const string PostMoney = "post_money";
    public const string PostMoneyCurrency = "post_money_currency";
    public const string PostMoneyEstimate = "post_money_estimate";
    public const string LeadInvestors = "lead_investors";
    public const string Investors = "investors";
    public const string Unverified = "unverified";
    public const string Notes = "notes";
    public const string SourceUrl = "source_url";
    public const string SourceTitle = "source_title";
    public const string SourcePublisher = "source_publisher";
    public const string SourcePublished = "source_published";

    /// <summary>What the import reads, in this order.</summary>
    public static readonly IReadOnlyList<string> Imported =
    [
        Company, Announced, Closed, Label, Stage, Status, Disclosure, Currency, Amount, AmountApproximate, AmountMin,
        AmountMax, AmountText, PostMoney, PostMoneyCurrency, PostMoneyEstimate, LeadInvestors, Investors, Unverified,
        Notes, SourceUrl, SourceTitle, SourcePublisher, SourcePublished,
    ];

    /// <summary>Written by the export after the imported columns; the import ignores them.</summary>
    public static readonly IReadOnlyList<string> ReadOnlyExtras = ["id", "announced_precision", "company_slug", "usd", "source_published_precision"];

    /// <summary>Separates several investors in one cell.</summary>
    public const char ListSeparator = ';';
}
