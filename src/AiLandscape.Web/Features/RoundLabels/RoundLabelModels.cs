using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.RoundLabels;

/// <summary>One row of the label table as the editor types it, with its rules.</summary>
public sealed class RoundLabelRequest : EditRequest
{
    public const int MaxLabel = 100;
    public const int MaxNotes = 500;

    /// <summary>Null for a new mapping.</summary>
    public override int? Id { get; set; }
    public string? Label { get; set; }
    public RoundStage? Stage { get; set; }
    public string? Notes { get; set; }

    public override void Validate(Validator v)
    {
        v.Required(nameof(Label), "Label", Label)
            .MaxLength(nameof(Label), "Label", Label, MaxLabel)
            .Required(nameof(Stage), "Stage", Stage)
            .MaxLength(nameof(Notes), "Notes", Notes, MaxNotes);
        // NFKC can lengthen a label ("㍿" is four letters): the folded form has the same limit in the database.
        if (!string.IsNullOrWhiteSpace(Label) && RoundLabels.Normalize(Label).Length > MaxLabel)
        {
            v.Error(nameof(Label), $"Label must be at most {MaxLabel} characters once folded for look-up.");
        }
    }
}

public sealed record RoundLabelQuery(string? Text = null, int Page = 0, int PageSize = 50);

public sealed record RoundLabelRow(int Id, string Label, RoundStage Stage, string? Notes);

public sealed record RoundLabelListResult(IReadOnlyList<RoundLabelRow> Items, int TotalCount);

/// <summary>A label the table knows: the spelling stored there and its stage.</summary>
public sealed record RoundLabelMatch(string Label, RoundStage Stage);
