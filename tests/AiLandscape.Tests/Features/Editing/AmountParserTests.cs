using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Tests.Features.Editing;

/// <summary>The amount field reads what editors type, or says what it expects.</summary>
public sealed class AmountParserTests
{
    [Theory]
    [InlineData("1.5 billion", 1_500_000_000, null)]
    [InlineData("1.5 Billion", 1_500_000_000, null)]
    [InlineData("1.5bn", 1_500_000_000, null)]
    [InlineData("1.5 bn", 1_500_000_000, null)]
    [InlineData("1.5B", 1_500_000_000, null)]
    [InlineData("$1.5B", 1_500_000_000, "USD")]
    [InlineData("US$ 1.5 billion", 1_500_000_000, "USD")]
    [InlineData("US$1.5B", 1_500_000_000, "USD")]
    [InlineData("USD 1.5 billion", 1_500_000_000, "USD")]
    [InlineData("1.5 billion US dollars", 1_500_000_000, "USD")]
    [InlineData("1.5bn usd", 1_500_000_000, "USD")]
    [InlineData("¥5B", 5_000_000_000, "CNY")]
    [InlineData("RMB 500 million", 500_000_000, "CNY")]
    [InlineData("500m", 500_000_000, null)]
    [InlineData("500 mn", 500_000_000, null)]
    [InlineData("250k", 250_000, null)]
    [InlineData("1 trillion", 1_000_000_000_000, null)]
    [InlineData("HK$4.19B", 4_190_000_000, "HKD")]
    [InlineData("1,500,000,000", 1_500_000_000, null)]
    [InlineData("1 500 000 000", 1_500_000_000, null)]
    [InlineData("1500000000", 1_500_000_000, null)]
    [InlineData("1500000000.50", 1_500_000_000.50, null)]
    [InlineData("15亿", 1_500_000_000, null)]
    [InlineData("15亿元", 1_500_000_000, "CNY")]
    [InlineData("人民币15亿元", 1_500_000_000, "CNY")]
    [InlineData("1.5万", 15_000, null)]
    [InlineData("5000万", 50_000_000, null)]
    [InlineData("3千万", 30_000_000, null)]
    [InlineData("1亿5000万", 150_000_000, null)]
    [InlineData("10亿美元", 1_000_000_000, "USD")]
    [InlineData("１．５亿", 150_000_000, null)]
    public void Reads_one_amount(string text, double expected, string? currency)
    {
        Assert.True(AmountParser.TryParse(text, out var amount), text);
        Assert.Equal((decimal)expected, amount!.Min);
        Assert.Equal(amount.Min, amount.Max);
        Assert.False(amount.IsRange);
        Assert.Equal(currency, amount.Currency);
        Assert.False(amount.Approximate);
    }

    [Theory]
    [InlineData("1-1.5 billion", 1_000_000_000, 1_500_000_000)]
    [InlineData("1 – 1.5 billion", 1_000_000_000, 1_500_000_000)]
    [InlineData("US$1B–1.5B", 1_000_000_000, 1_500_000_000)]
    [InlineData("1 to 1.5 billion", 1_000_000_000, 1_500_000_000)]
    [InlineData("1亿–2亿", 100_000_000, 200_000_000)]
    [InlineData("1亿至2亿", 100_000_000, 200_000_000)]
    [InlineData("1-2亿", 100_000_000, 200_000_000)]
    [InlineData("500m-1bn", 500_000_000, 1_000_000_000)]
    public void Reads_a_range_with_the_unit_once_or_twice(string text, double min, double max)
    {
        Assert.True(AmountParser.TryParse(text, out var amount), text);
        Assert.Equal((decimal)min, amount!.Min);
        Assert.Equal((decimal)max, amount.Max);
        Assert.True(amount.IsRange);
    }

    [Theory]
    [InlineData("-5000000", -5_000_000)]
    [InlineData("-$1.5B", -1_500_000_000)]
    [InlineData("$-1.5B", -1_500_000_000)]
    public void Reads_a_minus_sign_so_the_rule_can_say_zero_or_more(string text, double expected)
    {
        Assert.True(AmountParser.TryParse(text, out var amount), text);
        Assert.Equal((decimal)expected, amount!.Min);
        Assert.False(amount.IsRange);
    }

    [Theory]
    [InlineData("about 1.5 billion")]
    [InlineData("over $1B")]
    [InlineData("more than 500m")]
    [InlineData("~1.5bn")]
    [InlineData("约15亿元")]
    [InlineData("超过10亿")]
    [InlineData("10亿多")]
    [InlineData("1.5bn+")]
    public void Notes_words_that_make_the_figure_approximate(string text)
    {
        Assert.True(AmountParser.TryParse(text, out var amount), text);
        Assert.True(amount!.Approximate, text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("1.5 bilion")]
    [InlineData("one billion")]
    [InlineData("数亿元")]
    [InlineData("1,5")]
    [InlineData("1,50,000")]
    [InlineData("-")]
    [InlineData("-x")]
    [InlineData("2-1 billion")]
    [InlineData("1.5 2")]
    [InlineData("5000万1亿")]
    [InlineData("1-2-3")]
    [InlineData("US$")]
    [InlineData("1.5.2")]
    public void Refuses_what_is_not_an_amount(string text)
    {
        Assert.False(AmountParser.TryParse(text, out var amount), text);
        Assert.Null(amount);
    }

    [Fact]
    public void The_message_for_unreadable_text_names_the_field_quotes_the_text_and_gives_examples()
    {
        var message = AmountParser.Unreadable("Amount", " 1.5 bilion ");

        Assert.StartsWith("Amount: “1.5 bilion” is not an amount.", message);
        Assert.Contains("1.5 billion", message);
        Assert.Contains("15亿", message);
        Assert.Contains("1,500,000,000", message);
    }
}
