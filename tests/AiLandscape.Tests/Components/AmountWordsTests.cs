using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Rounds;

namespace AiLandscape.Tests.Components;

/// <summary>What the round form shows under an amount, and the profile's Round cell.</summary>
public class AmountWordsTests
{
    [Theory]
    [InlineData(1_500_000_000, "USD", "US$1,500,000,000")]
    [InlineData(7_000_000_000, "CNY", "¥7,000,000,000")]
    [InlineData(2_500.5, "HKD", "HK$2,500.5")]
    public void Grouped_shows_every_digit_in_groups(double amount, string currency, string expected) =>
        Assert.Equal(expected, Format.Grouped((decimal)amount, currency));

    [Theory]
    [InlineData(1_500_000_000, "USD", "US$1.5 billion")]
    [InlineData(500_000_000, "USD", "US$500 million")]
    [InlineData(250_000, "HKD", "HK$250 thousand")]
    [InlineData(2_000_000_000_000, "USD", "US$2 trillion")]
    [InlineData(999, "USD", "US$999")]
    [InlineData(1_500_000_000, "CNY", "¥1.5 billion = ¥15亿")]
    [InlineData(7_000_000_000, "CNY", "¥7 billion = ¥70亿")]
    [InlineData(50_000_000, "CNY", "¥50 million = ¥5000万")]
    public void Words_say_the_amount_as_sources_write_it(double amount, string currency, string expected) =>
        Assert.Equal(expected, Format.Words((decimal)amount, currency));

    [Theory]
    [InlineData("Series B", RoundStage.SeriesB, null)]
    [InlineData("series-b", RoundStage.SeriesB, null)]
    [InlineData("Pre-IPO", RoundStage.PreIpo, null)]
    [InlineData("Strategic", RoundStage.Strategic, null)]
    [InlineData(null, RoundStage.SeriesA, null)]
    [InlineData("B轮", RoundStage.SeriesB, "Series B")]
    [InlineData("Pre-B+", RoundStage.SeriesB, "Series B")]
    [InlineData("Series B+", RoundStage.SeriesB, "Series B")]
    public void The_stage_shows_beside_the_label_only_when_it_adds_something(string? label, RoundStage stage, string? expected) =>
        Assert.Equal(expected, RoundFormat.StageBesideLabel(label, stage));
}
