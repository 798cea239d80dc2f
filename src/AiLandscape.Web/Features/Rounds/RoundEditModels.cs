using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.Rounds;

/// <summary>The funding round form: what the editor types, with its rules.</summary>
public sealed class RoundRequest : EditRequest
{
    /// <summary>Null for a new round.</summary>
    public override int? Id { get; set; }
    public int CompanyId { get; set; }
    /// <summary>YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD: the precision is what the editor types.</summary>
    public string? AnnouncedOn { get; set; }
    public string? ClosedOn { get; set; }
    public string? LabelAsAnnounced { get; set; }
    /// <summary>
    /// Null until chosen: the service then takes the stage the label table gives <see cref="LabelAsAnnounced"/>
    /// (the form shows it as the editor types), so an API client may send only the label.
    /// </summary>
    public RoundStage? Stage { get; set; }
    public RoundStatus Status { get; set; } = RoundStatus.Completed;
    public Disclosure Disclosure { get; set; } = Disclosure.Disclosed;
    public string Currency { get; set; } = "USD";
    public decimal? Amount { get; set; }
    public bool AmountIsApproximate { get; set; }
    public decimal? AmountMin { get; set; }
    public decimal? AmountMax { get; set; }
    public string? AmountText { get; set; }
    public decimal? PostMoneyValuation { get; set; }
    public string? PostMoneyCurrency { get; set; }
    public bool PostMoneyIsEstimate { get; set; }
    /// <summary>"over US$1B" is AtLeast, "about" is Approximate.</summary>
    public FigureQualifier PostMoneyQualifier { get; set; }
    public bool IsUnverified { get; set; }
    public string? Notes { get; set; }
    public List<ParticipationInput> Participations { get; set; } = [];
    public List<SourceInput> Sources { get; set; } = [];

    public override void Validate(Validator v)
    {
        // Text the amount fields could not read comes first, so "Amount is required" does not hide it.
        foreach (var (field, message) in UnreadableInput)
        {
            v.Error(field, message);
        }
        if (CompanyId <= 0)
        {
            v.Error(nameof(CompanyId), "Company is required.");
        }
        if (Stage is null)
        {
            v.Error(nameof(Stage), string.IsNullOrWhiteSpace(LabelAsAnnounced)
                ? "Stage is required: choose one, or give a label that the round label table maps to a stage."
                : $"Stage is required: the round label table does not know “{LabelAsAnnounced.Trim()}”; choose the stage, or add the label to the table.");
        }
        v.PartialDate(nameof(AnnouncedOn), "Announced", AnnouncedOn, required: false)
            .PartialDate(nameof(ClosedOn), "Closed", ClosedOn, required: false)
            .MaxLength(nameof(LabelAsAnnounced), "Label as announced", LabelAsAnnounced, 100)
            .Currency(nameof(Currency), "Currency", Currency)
            .MaxLength(nameof(AmountText), "Size in the source's words", AmountText, 200)
            .MaxLength(nameof(Notes), "Notes", Notes, 4000);
        if (PartialDates.ParseOrNull(ClosedOn) is { } closed && PartialDates.ParseOrNull(AnnouncedOn) is { } announced
            && closed < announced && !ClosedOn!.Trim().StartsWith(AnnouncedOn!.Trim(), StringComparison.Ordinal))
        {
            v.Error(nameof(ClosedOn), "Closed must not be before announced.");
        }

        switch (Disclosure)
        {
            case Disclosure.Disclosed or Disclosure.Estimated:
                v.Required(nameof(Amount), "Amount", Amount).NotNegative(nameof(Amount), "Amount", Amount);
                break;
            case Disclosure.Range:
                if (AmountMin is null && AmountMax is null)
                {
                    v.Error(nameof(AmountMin), "Minimum amount: give a minimum, a maximum or both for a range.");
                }
                v.NotNegative(nameof(AmountMin), "Minimum amount", AmountMin)
                    .NotNegative(nameof(AmountMax), "Maximum amount", AmountMax)
                    .MinNotAboveMax(nameof(AmountMin), "Minimum amount", AmountMin, "Maximum amount", AmountMax);
                break;
            case Disclosure.Undisclosed:
                // "Undisclosed" is never stored as a number, not even zero.
                if (Amount is not null || AmountMin is not null || AmountMax is not null)
                {
                    v.Error(nameof(Amount), "Amount must be empty when the size is undisclosed.");
                }
                break;
        }

        v.NotNegative(nameof(PostMoneyValuation), "Post-money valuation", PostMoneyValuation);
        if (PostMoneyValuation is not null)
        {
            v.Currency(nameof(PostMoneyCurrency), "Post-money currency", PostMoneyCurrency ?? Currency);
            var raised = Amount ?? AmountMin;
            if (raised is > 0 && PostMoneyValuation >= 0 && (PostMoneyCurrency ?? Currency) == Currency && PostMoneyValuation < raised)
            {
                v.Warn(nameof(PostMoneyValuation), "Post-money valuation is below the amount raised: check both figures.");
            }
        }

        var seen = new HashSet<int>();
        for (var i = 0; i < Participations.Count; i++)
        {
            var p = Participations[i];
            var n = $"Investor {i + 1}";
            if (p.InvestorId is { } investorId)
            {
                if (!seen.Add(investorId))
                {
                    v.Error($"Participations[{i}].Investor", $"{n}: {p.InvestorName ?? "this investor"} is listed twice.");
                }
            }
            else if (p.IsNewInvestor)
            {
                v.Required($"Participations[{i}].NewInvestorNameEn", $"{n}: new investor's English name", p.NewInvestorNameEn)
                    .MaxLength($"Participations[{i}].NewInvestorNameEn", $"{n}: new investor's English name", p.NewInvestorNameEn, 200)
                    .MaxLength($"Participations[{i}].NewInvestorNameZh", $"{n}: new investor's Chinese name", p.NewInvestorNameZh, 200);
            }
            else
            {
                v.Error($"Participations[{i}].Investor", $"{n}: choose an investor, or add a new one.");
            }
            v.NotNegative($"Participations[{i}].Amount", $"{n}: amount", p.Amount);
        }
        RecordSources.Validate(v, Sources, required: true);
    }
}

/// <summary>One investor of the round: an existing investor or one created with the round.</summary>
public sealed class ParticipationInput
{
    public int? Id { get; set; }
    public int? InvestorId { get; set; }
    /// <summary>Shown on the form; not written.</summary>
    public string? InvestorName { get; set; }
    public bool IsNewInvestor { get; set; }
    public string? NewInvestorNameEn { get; set; }
    public string? NewInvestorNameZh { get; set; }
    public InvestorKind NewInvestorKind { get; set; } = InvestorKind.VentureCapital;
    public bool IsLead { get; set; }
    public decimal? Amount { get; set; }
}

/// <summary>The form with the company it belongs to, for the page title and links.</summary>
public sealed record RoundForm(RoundRequest Request, string CompanySlug, string CompanyName);

public sealed record InvestorOption(int Id, string NameEn, string? NameZh, string Slug)
{
    public string Label => NameZh is null ? NameEn : $"{NameEn} · {NameZh}";
}
