using AiLandscape.Web.Data;

namespace AiLandscape.Web.Features.Models;

public enum ModelSort { Released, Name, Company, OpenWeights, Licence }

/// <summary>Open weights as a filter: a source says yes, a source says no, or no source says.</summary>
public enum OpenWeightsFilter { Yes, No, Unknown }

/// <summary>
/// What the /models directory (and /export/models.csv) asks for. Every field maps to a URL query parameter
/// (<see cref="ModelDirectoryUrl"/>), so a link reproduces the view.
/// </summary>
public sealed record ModelQuery
{
    /// <summary>A company slug.</summary>
    public string? Company { get; init; }
    public int? Year { get; init; }
    public OpenWeightsFilter? OpenWeights { get; init; }
    /// <summary>A licence exactly as recorded ("MIT", "Apache-2.0").</summary>
    public string? Licence { get; init; }
    public ModelSort Sort { get; init; } = ModelSort.Released;
    /// <summary>Newest first by default.</summary>
    public bool Descending { get; init; } = true;
    /// <summary>Zero-based page index (the URL shows it one-based).</summary>
    public int Page { get; init; }
    public int PageSize { get; init; } = 25;
}

/// <summary>One model release as the directory lists it.</summary>
public sealed record ModelRow(
    int Id,
    string Name,
    string CompanySlug,
    string CompanyNameEn,
    string? CompanyNameZh,
    DateOnly? ReleasedOn,
    DatePrecision Precision,
    bool? OpenWeights,
    string? Licence,
    string? Size,
    string? Modality)
{
    /// <summary>The model's entry on its company's timeline.</summary>
    public string TimelineHref => ModelDirectoryUrl.TimelineHref(CompanySlug, Id);
}

public sealed record ModelCompanyOption(string Slug, string NameEn, string? NameZh);

/// <summary>The values the directory's filters offer: only those some model has.</summary>
public sealed record ModelFacets(IReadOnlyList<ModelCompanyOption> Companies, IReadOnlyList<int> Years,
    IReadOnlyList<string> Licences)
{
    public static ModelFacets Empty { get; } = new([], [], []);
}

/// <summary>Readable labels for the directory.</summary>
public static class ModelLabels
{
    public static string OpenWeights(bool? open) => open switch
    {
        true => "Yes",
        false => "No",
        null => "Unknown",
    };

    public static string OpenWeights(OpenWeightsFilter filter) => filter switch
    {
        OpenWeightsFilter.Yes => "Open weights",
        OpenWeightsFilter.No => "Closed",
        _ => "Not reported",
    };
}

/// <summary>Translates between the /models URL (also /export/models.csv) and a <see cref="ModelQuery"/>.</summary>
public static class ModelDirectoryUrl
{
    public const string Path = "/models";
    public const string ExportPath = "/export/models.csv";

    /// <summary>The anchor of a model's entry on its company's timeline (CompanyTimeline).</summary>
    public static string Anchor(int modelId) => $"model-{modelId}";

    public static string TimelineHref(string companySlug, int modelId) => $"/companies/{companySlug}#{Anchor(modelId)}";

    public static string SortKey(ModelSort sort) => sort switch
    {
        ModelSort.OpenWeights => "open-weights",
        var s => s.ToString().ToLowerInvariant(),
    };

    public static ModelSort? ParseSortKey(string? key) => string.IsNullOrWhiteSpace(key)
        ? null
        : Enum.GetValues<ModelSort>().Cast<ModelSort?>().FirstOrDefault(s => SortKey(s!.Value) == key.Trim().ToLowerInvariant());

    public static OpenWeightsFilter? ParseOpenWeights(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "yes" or "true" => OpenWeightsFilter.Yes,
        "no" or "false" => OpenWeightsFilter.No,
        "unknown" => OpenWeightsFilter.Unknown,
        _ => null,
    };

    /// <summary>The query a URL asks for; anything unknown falls back to the default.</summary>
    public static ModelQuery Parse(string? company, string? year, string? open, string? licence, string? sort, int? page)
    {
        var key = sort?.Trim().ToLowerInvariant();
        var descending = key?.EndsWith("-desc", StringComparison.Ordinal) == true;
        var parsed = ParseSortKey(descending ? key![..^"-desc".Length] : key);
        return new ModelQuery
        {
            Company = string.IsNullOrWhiteSpace(company) ? null : company.Trim().ToLowerInvariant(),
            Year = int.TryParse(year, out var y) && y is > 1900 and < 3000 ? y : null,
            OpenWeights = ParseOpenWeights(open),
            Licence = string.IsNullOrWhiteSpace(licence) ? null : licence.Trim(),
            Sort = parsed ?? ModelSort.Released,
            // Newest first unless the URL asks otherwise; other columns ascending unless "-desc".
            Descending = parsed is null || (parsed == ModelSort.Released ? key != "released" : descending),
            Page = page is > 1 ? page.Value - 1 : 0,
        };
    }

    /// <summary>The query parameters of a view; defaults are left out so the plain /models stays plain.</summary>
    public static IReadOnlyDictionary<string, object?> Parameters(ModelQuery query, bool withPage = true) => new Dictionary<string, object?>
    {
        ["company"] = query.Company,
        ["year"] = query.Year,
        ["open"] = query.OpenWeights?.ToString().ToLowerInvariant(),
        ["licence"] = query.Licence,
        ["sort"] = query switch
        {
            { Sort: ModelSort.Released, Descending: true } => null,
            { Sort: ModelSort.Released } => "released",
            _ => SortKey(query.Sort) + (query.Descending ? "-desc" : ""),
        },
        ["page"] = withPage && query.Page > 0 ? query.Page + 1 : null,
    };
}
