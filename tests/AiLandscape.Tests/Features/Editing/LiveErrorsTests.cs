using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Rounds;

namespace AiLandscape.Tests.Features.Editing;

/// <summary>A failed save's errors go as soon as their cause is fixed, on every edit form (they share LiveErrors).</summary>
public sealed class LiveErrorsTests
{
    private static RoundRequest ValidRound() => new()
    {
        CompanyId = 1,
        AnnouncedOn = "2025-03-02",
        LabelAsAnnounced = "A轮",
        Stage = RoundStage.SeriesA,
        Amount = 1_500_000_000m,
        Sources = [new SourceInput { SourceId = 7 }],
    };

    private static SaveResult FailedSave(EditRequest request)
    {
        var v = new Validator();
        request.Validate(v);
        Assert.False(v.IsValid);
        // The form shows the result once (that look notes the form as it was saved).
        var result = SaveResult.Invalid(v.Errors);
        Assert.Same(result, result.Recheck(request));
        return result;
    }

    [Fact]
    public void A_future_date_error_goes_when_the_date_is_fixed_and_other_errors_stay()
    {
        var round = ValidRound();
        round.AnnouncedOn = "2099-01-01";
        round.Amount = null;
        var result = FailedSave(round);
        Assert.Equal("Announced must not be in the future.", result.ErrorFor(nameof(RoundRequest.AnnouncedOn)));

        round.AnnouncedOn = "2025-03-02";
        var shown = result.Recheck(round)!;

        Assert.Null(shown.ErrorFor(nameof(RoundRequest.AnnouncedOn)));
        Assert.Equal("Amount is required.", shown.ErrorFor(nameof(RoundRequest.Amount)));
        Assert.Single(shown.Errors);
    }

    [Fact]
    public void An_error_whose_rule_still_fails_shows_the_rules_current_message()
    {
        var round = ValidRound();
        round.AnnouncedOn = "March";
        var result = FailedSave(round);

        round.AnnouncedOn = "2099-01";

        Assert.Equal("Announced must not be in the future.", result.Recheck(round)!.ErrorFor(nameof(RoundRequest.AnnouncedOn)));
    }

    [Fact]
    public void Unreadable_amount_text_is_an_error_that_goes_when_the_text_is_read()
    {
        var round = ValidRound();
        round.Amount = null;
        round.UnreadableInput[nameof(RoundRequest.Amount)] = AmountParser.Unreadable("Amount", "1.5 bilion");
        var result = FailedSave(round);
        Assert.StartsWith("Amount: “1.5 bilion” is not an amount.", result.ErrorFor(nameof(RoundRequest.Amount)));

        round.UnreadableInput.Remove(nameof(RoundRequest.Amount));
        round.Amount = 1_500_000_000m;

        Assert.Empty(result.Recheck(round)!.Errors);
    }

    [Fact]
    public void An_error_only_the_server_finds_stays_until_its_field_changes()
    {
        var round = ValidRound();
        round.Sources = [new SourceInput { Url = "https://example.com/known", Title = "Known" }];
        var result = SaveResult.Invalid("Sources[0].Url", "New source 1: URL is already the source “Known”; add that one from the list instead.");
        Assert.Same(result, result.Recheck(round));

        round.Notes = "an unrelated change";
        Assert.NotNull(result.Recheck(round)!.ErrorFor("Sources[0].Url"));

        round.Sources[0].Url = "https://example.com/another";
        Assert.Null(result.Recheck(round)!.ErrorFor("Sources[0].Url"));
    }

    [Fact]
    public void Saved_results_and_warnings_pass_through_unchanged()
    {
        var round = ValidRound();
        var saved = SaveResult.Saved(3);
        var confirm = SaveResult.Confirm([new FieldMessage("PostMoneyValuation", "check")]);

        Assert.Same(saved, saved.Recheck(round));
        Assert.Same(confirm, confirm.Recheck(round));
        Assert.Null(((SaveResult?)null).Recheck(round));
    }
}
