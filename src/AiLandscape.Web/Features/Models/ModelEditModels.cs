using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.Models;

/// <summary>The model release form: what the editor types, with its rules.</summary>
public sealed class ModelRequest : EditRequest
{
    /// <summary>Null for a new model release.</summary>
    public override int? Id { get; set; }
    public int CompanyId { get; set; }
    public string? Name { get; set; }
    /// <summary>YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD; empty when no source dates it.</summary>
    public string? ReleasedOn { get; set; }
    /// <summary>Null when no source says whether weights were published.</summary>
    public bool? OpenWeights { get; set; }
    public string? Licence { get; set; }
    public string? Size { get; set; }
    public string? Modality { get; set; }
    public string? Summary { get; set; }
    public List<SourceInput> Sources { get; set; } = [];

    public override void Validate(Validator v)
    {
        if (CompanyId <= 0)
        {
            v.Error(nameof(CompanyId), "Company is required.");
        }
        v.Required(nameof(Name), "Name", Name)
            .MaxLength(nameof(Name), "Name", Name, 200)
            .PartialDate(nameof(ReleasedOn), "Released", ReleasedOn, required: false)
            .MaxLength(nameof(Licence), "Licence", Licence, 200)
            .MaxLength(nameof(Size), "Size", Size, 100)
            .MaxLength(nameof(Modality), "Modality", Modality, 100)
            .MaxLength(nameof(Summary), "Summary", Summary, 4000);
        RecordSources.Validate(v, Sources, required: false);
    }
}

/// <summary>The form with the company it belongs to, for the page title and links.</summary>
public sealed record ModelForm(ModelRequest Request, string CompanySlug, string CompanyName);
