using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.People;

/// <summary>The person form with the person's roles at companies: what the editor types, with its rules.</summary>
public sealed class PersonRequest : EditRequest
{
    public const int EarliestBirthYear = 1900;

    /// <summary>Null for a new person.</summary>
    public override int? Id { get; set; }
    public string? Slug { get; set; }
    public string? NameEn { get; set; }
    public string? NameZh { get; set; }
    public string? Pinyin { get; set; }
    public int? BirthYear { get; set; }
    public string? Bio { get; set; }
    public List<RoleInput> Roles { get; set; } = [];

    public override void Validate(Validator v)
    {
        v.Required(nameof(NameEn), "English name", NameEn)
            .MaxLength(nameof(NameEn), "English name", NameEn, 200)
            .MaxLength(nameof(NameZh), "Chinese name", NameZh, 200)
            .MaxLength(nameof(Pinyin), "Pinyin", Pinyin, 200)
            .Slug(nameof(Slug), Slug?.Trim())
            .MaxLength(nameof(Bio), "Bio", Bio, 4000);
        if (string.Equals(Slug?.Trim(), "new", StringComparison.Ordinal))
        {
            v.Error(nameof(Slug), "Slug: new is reserved for the address of the New person page; choose another.");
        }
        if (BirthYear is { } year && (year < EarliestBirthYear || year > v.TodayDate.Year))
        {
            v.Error(nameof(BirthYear), $"Birth year must be between {EarliestBirthYear} and {v.TodayDate.Year}.");
        }

        var seen = new HashSet<(int, PersonRoleKind)>();
        for (var i = 0; i < Roles.Count; i++)
        {
            var role = Roles[i];
            var n = $"Role {i + 1}";
            if (role.CompanyId is not { } companyId)
            {
                v.Error($"Roles[{i}].Company", $"{n}: company is required; choose one.");
            }
            else if (!seen.Add((companyId, role.Kind)))
            {
                v.Error($"Roles[{i}].Kind", $"{n}: {PersonLabels.Role(role.Kind)} at {role.CompanyName ?? "this company"} is listed twice.");
            }
            v.MaxLength($"Roles[{i}].Title", $"{n}: title", role.Title, 200)
                .PartialDate($"Roles[{i}].StartedOn", $"{n}: started", role.StartedOn, required: false)
                .PartialDate($"Roles[{i}].EndedOn", $"{n}: ended", role.EndedOn, required: false);
            if (PartialDates.ParseOrNull(role.StartedOn) is { } started && PartialDates.ParseOrNull(role.EndedOn) is { } ended
                && ended < started && !role.EndedOn!.Trim().StartsWith(role.StartedOn!.Trim(), StringComparison.Ordinal))
            {
                v.Error($"Roles[{i}].EndedOn", $"{n}: ended must not be before started.");
            }
        }
    }
}

/// <summary>One role of the person at a company (founder, CEO, ...).</summary>
public sealed class RoleInput
{
    public int? Id { get; set; }
    public int? CompanyId { get; set; }
    /// <summary>Shown on the form and used for the link after saving; not written.</summary>
    public string? CompanyName { get; set; }
    public string? CompanySlug { get; set; }
    public PersonRoleKind Kind { get; set; } = PersonRoleKind.Founder;
    public string? Title { get; set; }
    /// <summary>YYYY, YYYY-MM or YYYY-MM-DD; stored as the first day of that period.</summary>
    public string? StartedOn { get; set; }
    public string? EndedOn { get; set; }
}

/// <summary>The form with the name it had when loaded, for the page title.</summary>
public sealed record PersonForm(PersonRequest Request, string? LoadedName);

public static class PersonLabels
{
    public static string Role(PersonRoleKind kind) => kind switch
    {
        PersonRoleKind.CoFounder => "Co-founder",
        PersonRoleKind.Ceo => "CEO",
        _ => kind.ToString(),
    };

    /// <summary>The title as the source gives it, else the kind ("CEO").</summary>
    public static string Role(PersonRoleKind kind, string? title) => string.IsNullOrWhiteSpace(title) ? Role(kind) : title.Trim();

    /// <summary>"since 26 Jan 2026", "26 Jan 2024 – 3 Mar 2025", "until 3 Mar 2025"; null when no source dates it.</summary>
    public static string? Dates(DateOnly? started, DateOnly? ended) => (started, ended) switch
    {
        ({ } s, { } e) => $"{Components.Shared.Format.Date(s, DatePrecision.Day)} – {Components.Shared.Format.Date(e, DatePrecision.Day)}",
        ({ } s, null) => "since " + Components.Shared.Format.Date(s, DatePrecision.Day),
        (null, { } e) => "until " + Components.Shared.Format.Date(e, DatePrecision.Day),
        _ => null,
    };
}
