using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.Investors;

/// <summary>The investor form: what the editor types, with its rules.</summary>
public sealed class InvestorRequest : EditRequest
{
    /// <summary>Null for a new investor.</summary>
    public override int? Id { get; set; }
    public string? Slug { get; set; }
    public string? NameEn { get; set; }
    public string? NameZh { get; set; }
    /// <summary>Comma or newline separated.</summary>
    public string? Aliases { get; set; }
    public InvestorKind Kind { get; set; } = InvestorKind.VentureCapital;
    /// <summary>ISO 3166-1 alpha-2 code ("CN", "SA").</summary>
    public string? Country { get; set; }
    public string? Website { get; set; }
    public string? Summary { get; set; }
    /// <summary>The group the investor belongs to (Alibaba Cloud → Alibaba).</summary>
    public int? ParentId { get; set; }
    /// <summary>Shown on the form; not written.</summary>
    public string? ParentName { get; set; }

    public override void Validate(Validator v)
    {
        v.Required(nameof(NameEn), "English name", NameEn)
            .MaxLength(nameof(NameEn), "English name", NameEn, 200)
            .MaxLength(nameof(NameZh), "Chinese name", NameZh, 200)
            .Slug(nameof(Slug), Slug?.Trim())
            .MaxLength(nameof(Website), "Website", Website, 500)
            .HttpUrl(nameof(Website), "Website", Website)
            .MaxLength(nameof(Summary), "Summary", Summary, 4000);
        if (string.Equals(Slug?.Trim(), "new", StringComparison.Ordinal))
        {
            v.Error(nameof(Slug), "Slug: new is reserved for the address of the New investor page; choose another.");
        }
        ListText.Validate(v, nameof(Aliases), "Aliases", ListText.Items(Aliases), 200);
        if (!string.IsNullOrWhiteSpace(Country)
            && (Country.Trim().Length != 2 || !Country.Trim().All(char.IsAsciiLetter)))
        {
            v.Error(nameof(Country), "Country must be a two-letter ISO 3166 code (e.g. CN, US, SA).");
        }
        if (ParentId is not null && ParentId == Id)
        {
            v.Error(nameof(ParentId), "Parent investor must be another investor, not this one.");
        }
    }
}

/// <summary>The form with the name it had when loaded, for the page title and links.</summary>
public sealed record InvestorForm(InvestorRequest Request, string? LoadedSlug, string? LoadedName);
