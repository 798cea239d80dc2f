using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.Companies;

/// <summary>The company form: what the editor types, with its rules.</summary>
public sealed class CompanyRequest : EditRequest
{
    /// <summary>Null for a new company.</summary>
    public override int? Id { get; set; }
    public string? Slug { get; set; }
    public string? NameEn { get; set; }
    public string? NameZh { get; set; }
    public string? Pinyin { get; set; }
    /// <summary>One a line: legal names have commas of their own ("Co., Ltd.").</summary>
    public string? LegalNames { get; set; }
    /// <summary>Comma or newline separated.</summary>
    public string? Aliases { get; set; }
    /// <summary>YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD: the precision is what the editor types.</summary>
    public string? FoundedOn { get; set; }
    public string? HeadquartersCity { get; set; }
    public string? Website { get; set; }
    public CompanyStatus Status { get; set; } = CompanyStatus.Private;
    public string? ListingVenue { get; set; }
    public string? Ticker { get; set; }
    /// <summary>YYYY-MM-DD (the listing day is always known).</summary>
    public string? ListedOn { get; set; }
    public string? Summary { get; set; }
    public string? Sectors { get; set; }
    public string? Groups { get; set; }
    public List<SourceInput> Sources { get; set; } = [];

    public override void Validate(Validator v)
    {
        v.Required(nameof(NameEn), "English name", NameEn)
            .MaxLength(nameof(NameEn), "English name", NameEn, 200)
            .MaxLength(nameof(NameZh), "Chinese name", NameZh, 200)
            .MaxLength(nameof(Pinyin), "Pinyin", Pinyin, 200)
            .Slug(nameof(Slug), Slug?.Trim())
            .PartialDate(nameof(FoundedOn), "Founded", FoundedOn, required: false)
            .MaxLength(nameof(HeadquartersCity), "Headquarters city", HeadquartersCity, 100)
            .MaxLength(nameof(Website), "Website", Website, 500)
            .HttpUrl(nameof(Website), "Website", Website)
            .MaxLength(nameof(ListingVenue), "Listing venue", ListingVenue, 50)
            .MaxLength(nameof(Ticker), "Ticker", Ticker, 20)
            .MaxLength(nameof(Summary), "Summary", Summary, 4000);
        if (string.Equals(Slug?.Trim(), "new", StringComparison.Ordinal))
        {
            v.Error(nameof(Slug), "Slug: new is reserved for the address of the New company page; choose another.");
        }
        ListText.Validate(v, nameof(LegalNames), "Legal names", ListText.Lines(LegalNames), 300);
        ListText.Validate(v, nameof(Aliases), "Aliases", ListText.Items(Aliases), 200);
        ListText.Validate(v, nameof(Sectors), "Sectors", ListText.Items(Sectors), 100);
        ListText.Validate(v, nameof(Groups), "Groups", ListText.Items(Groups), 100);

        if (!string.IsNullOrWhiteSpace(ListedOn))
        {
            if (!DateOnly.TryParseExact(ListedOn.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.None, out var listed))
            {
                v.Error(nameof(ListedOn), "Listed on must be a date written YYYY-MM-DD.");
            }
            else
            {
                v.PastDate(nameof(ListedOn), "Listed on", listed);
            }
        }
        if (Status == CompanyStatus.Public)
        {
            v.Required(nameof(ListingVenue), "Listing venue (for a public company)", ListingVenue);
        }
        else if (Status == CompanyStatus.Private
                 && (!string.IsNullOrWhiteSpace(ListingVenue) || !string.IsNullOrWhiteSpace(Ticker) || !string.IsNullOrWhiteSpace(ListedOn)))
        {
            v.Error(nameof(ListingVenue), "Listing venue, ticker and listed on must be empty for a private company: set the status to Public.");
        }
        if (!string.IsNullOrWhiteSpace(Ticker) && string.IsNullOrWhiteSpace(ListingVenue))
        {
            v.Error(nameof(Ticker), "Ticker needs a listing venue (e.g. HKEX).");
        }
        if (PartialDates.ParseOrNull(FoundedOn) is { } founded && !string.IsNullOrWhiteSpace(ListedOn)
            && PartialDates.ParseOrNull(ListedOn) is { } listedOn && listedOn < founded)
        {
            v.Error(nameof(ListedOn), "Listed on must not be before founded.");
        }
        RecordSources.Validate(v, Sources, required: false);
    }
}

/// <summary>The form with the names it had when loaded, for the page title and links.</summary>
public sealed record CompanyForm(CompanyRequest Request, string? LoadedSlug, string? LoadedName);

/// <summary>A company offered by a picker.</summary>
public sealed record CompanyOption(int Id, string NameEn, string? NameZh, string Slug)
{
    public string Label => NameZh is null ? NameEn : $"{NameEn} · {NameZh}";
}

/// <summary>Lists (aliases, sectors, groups) as the forms edit them: one text, items separated by commas or lines.</summary>
public static class ListText
{
    public const int MaxItems = 50;

    private static readonly char[] ItemSeparators = [',', '，', '、', '\n', '\r', ';'];
    private static readonly char[] LineSeparators = ['\n', '\r'];

    /// <summary>Items separated by commas (also the Chinese ones), semicolons or new lines.</summary>
    public static List<string> Items(string? text) => Split(text, ItemSeparators);

    /// <summary>Items one a line, for lists whose items contain commas.</summary>
    public static List<string> Lines(string? text) => Split(text, LineSeparators);

    public static string Join(IEnumerable<string> items) => string.Join(", ", items);

    public static string JoinLines(IEnumerable<string> items) => string.Join("\n", items);

    public static void Validate(Validator v, string field, string label, IReadOnlyList<string> items, int maxLength)
    {
        if (items.Count > MaxItems)
        {
            v.Error(field, $"{label}: at most {MaxItems} entries.");
        }
        if (items.FirstOrDefault(i => i.Length > maxLength) is { } tooLong)
        {
            v.Error(field, $"{label}: each entry must be at most {maxLength} characters (\"{tooLong[..20]}…\" is longer).");
        }
    }

    private static List<string> Split(string? text, char[] separators) =>
        (text ?? "").Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
