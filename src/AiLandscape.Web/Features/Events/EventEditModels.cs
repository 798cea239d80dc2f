using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.Events;

/// <summary>The company event form (pivots, filings, listings, ...): what the editor types, with its rules.</summary>
public sealed class EventRequest : EditRequest
{
    /// <summary>Null for a new event.</summary>
    public override int? Id { get; set; }
    public int CompanyId { get; set; }
    /// <summary>YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD.</summary>
    public string? OccurredOn { get; set; }
    public CompanyEventKind Kind { get; set; } = CompanyEventKind.Strategy;
    public string? Title { get; set; }
    public string? Summary { get; set; }
    public string? FocusBefore { get; set; }
    public string? FocusAfter { get; set; }
    public List<SourceInput> Sources { get; set; } = [];

    public override void Validate(Validator v)
    {
        if (CompanyId <= 0)
        {
            v.Error(nameof(CompanyId), "Company is required.");
        }
        v.PartialDate(nameof(OccurredOn), "Date", OccurredOn, required: true)
            .Required(nameof(Title), "Title", Title)
            .MaxLength(nameof(Title), "Title", Title, 200)
            .MaxLength(nameof(Summary), "Summary", Summary, 4000)
            .MaxLength(nameof(FocusBefore), "Focus before", FocusBefore, 300)
            .MaxLength(nameof(FocusAfter), "Focus after", FocusAfter, 300);
        RecordSources.Validate(v, Sources, required: false);
    }
}

/// <summary>The form with the company it belongs to, for the page title and links.</summary>
public sealed record EventForm(EventRequest Request, string CompanySlug, string CompanyName);
