using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.Valuations;

/// <summary>The valuation point form: what the editor types, with its rules.</summary>
public sealed class ValuationRequest : EditRequest
{
    /// <summary>Null for a new valuation point.</summary>
    public override int? Id { get; set; }
    public int CompanyId { get; set; }
    /// <summary>YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD: the precision is what the editor types.</summary>
    public string? ValuedOn { get; set; }
    public decimal? Amount { get; set; }
    public string Currency { get; set; } = "USD";
    public FigureQualifier Qualifier { get; set; } = FigureQualifier.Exact;
    public ValuationBasis Basis { get; set; } = ValuationBasis.PostMoney;
    /// <summary>The round the valuation comes from, one of the company's.</summary>
    public int? FundingRoundId { get; set; }
    public bool IsUnverified { get; set; }
    public string? Notes { get; set; }
    public List<SourceInput> Sources { get; set; } = [];

    public override void Validate(Validator v)
    {
        // Text the amount field could not read comes first, so "Amount is required" does not hide it.
        foreach (var (field, message) in UnreadableInput)
        {
            v.Error(field, message);
        }
        if (CompanyId <= 0)
        {
            v.Error(nameof(CompanyId), "Company is required.");
        }
        v.PartialDate(nameof(ValuedOn), "Valued on", ValuedOn, required: true)
            .Required(nameof(Amount), "Amount", Amount)
            .NotNegative(nameof(Amount), "Amount", Amount)
            .Currency(nameof(Currency), "Currency", Currency)
            .MaxLength(nameof(Notes), "Notes", Notes, 4000);
        // Every figure needs a source.
        RecordSources.Validate(v, Sources, required: true);
    }
}

/// <summary>A round of the company the valuation can come from.</summary>
public sealed record RoundOption(int Id, string Label);

/// <summary>The form with the company it belongs to and the company's rounds to pick from.</summary>
public sealed record ValuationForm(ValuationRequest Request, string CompanySlug, string CompanyName, IReadOnlyList<RoundOption> Rounds);
