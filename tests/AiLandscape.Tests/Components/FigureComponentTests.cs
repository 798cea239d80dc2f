using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Sources;
using Bunit;
using MudBlazor.Services;

namespace AiLandscape.Tests.Components;

/// <summary>bUnit tests of the shared figure components, as a reader sees their markup.</summary>
public class FigureComponentTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();

    public FigureComponentTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Render<MudBlazor.MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's popover service only supports asynchronous disposal.
    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public void Money_shows_the_reported_currency_and_a_usd_equivalent_with_its_rate()
    {
        var usd = new UsdConversion(689_000_000m, 7.2547m, new DateOnly(2024, 6, 1), true, "7.2547 CNY/USD, Jun 2024 average (FRED), nearest month available");
        var cut = _ctx.Render<Money>(p => p
            .Add(x => x.Amount, 5_000_000_000m).Add(x => x.Currency, "CNY").Add(x => x.Usd, usd));
        Assert.Contains("¥5B", cut.Markup);
        Assert.Contains("≈ US$689M*", cut.Find(".money-usd").TextContent);
        Assert.Contains("7.2547 CNY/USD", cut.Find(".money-usd").GetAttribute("aria-label"));
    }

    [Fact]
    public void Money_in_usd_has_no_conversion()
    {
        var cut = _ctx.Render<Money>(p => p.Add(x => x.Amount, 500_000_000m).Add(x => x.Currency, "USD")
            .Add(x => x.Qualifier, FigureQualifier.AtLeast));
        Assert.Equal(">US$500M", cut.Find("[data-testid=money]").TextContent.Trim());
        Assert.Empty(cut.FindAll(".money-usd"));
    }

    [Theory]
    [InlineData(DatePrecision.Year, "2022", "2022")]
    [InlineData(DatePrecision.Month, "Mar 2022", "2022-03")]
    [InlineData(DatePrecision.Day, "9 Mar 2022", "2022-03-09")]
    public void A_date_is_shown_at_its_precision_with_a_machine_readable_value(DatePrecision precision, string text, string iso)
    {
        var cut = _ctx.Render(DateWithPrecision.For(new DateOnly(2022, 3, 9), precision));
        var time = cut.Find("time");
        Assert.Equal(text, time.TextContent);
        Assert.Equal(iso, time.GetAttribute("datetime"));
    }

    [Fact]
    public void A_missing_date_says_it_was_not_reported()
    {
        var cut = _ctx.Render(DateWithPrecision.For(null, DatePrecision.Day));
        Assert.Equal("date not reported", cut.Find(".undisclosed").TextContent);
    }

    private static CitationView Cite(int sourceId, string publisher, string? value) => new(sourceId, "S" + sourceId,
        "Title " + sourceId, "https://example.com/" + sourceId, publisher, null, new DateOnly(2024, 1, 1),
        DatePrecision.Day, SourceKind.NewsAgency, RecordType.Company, 1, "FoundedOn", value, null, false);

    [Fact]
    public void Conflicting_values_show_the_disputed_marker_with_every_value_and_source()
    {
        var cut = _ctx.Render<DisputedMarker>(p => p.Add(x => x.Citations,
            [Cite(1, "Reuters", "2023"), Cite(2, "Bloomberg", "2023"), Cite(3, "Article", "2022")]));
        var marker = cut.Find("[data-testid=disputed]");
        Assert.Contains("disputed", marker.TextContent);
        var summary = cut.Find(".visually-hidden").TextContent;
        Assert.Contains("2023 per Reuters", summary);
        Assert.Contains("2023 per Bloomberg", summary);
        Assert.Contains("2022 per Article", summary);
    }

    [Fact]
    public void Agreeing_sources_show_no_marker()
    {
        var cut = _ctx.Render<DisputedMarker>(p => p.Add(x => x.Citations, [Cite(1, "Reuters", "2023"), Cite(2, "Bloomberg", " 2023 ")]));
        Assert.Empty(cut.FindAll("[data-testid=disputed]"));
        // What pages call: no marker and no component at all where the sources agree, the marker where they do not.
        Assert.Empty(_ctx.Render(DisputedMarker.For([Cite(1, "Reuters", "2023"), Cite(2, "Bloomberg", " 2023 ")])).Markup.Trim());
        var disputed = _ctx.Render(DisputedMarker.For([Cite(1, "Reuters", "2023"), Cite(2, "Bloomberg", "2024")]));
        Assert.Single(disputed.FindAll("[data-testid=disputed]"));
    }

    [Fact]
    public void Source_links_point_at_the_source_list_and_flag_a_figure_without_source()
    {
        var cut = _ctx.Render<SourceLinks>(p => p.Add(x => x.Citations, [Cite(7, "Reuters", null), Cite(7, "Reuters", null)]));
        var link = Assert.Single(cut.FindAll("a.source-link"));
        // At the base address itself the path is empty.
        Assert.Equal("#source-7", link.GetAttribute("href"));
        Assert.Equal("[S7]", link.TextContent);

        var none = _ctx.Render<SourceLinks>(p => p.Add(x => x.Citations, []));
        Assert.Equal("[no source]", none.Find(".source-missing").TextContent);
    }

    [Fact]
    public void Source_links_keep_the_current_path_and_query_so_the_base_href_does_not_send_the_reader_home()
    {
        // <base href="/"> turns a bare "#source-7" into "/#source-7", the home page.
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/companies/moonshot-ai?asof=2024-06-30#source-1");
        var cut = _ctx.Render<SourceLinks>(p => p.Add(x => x.Citations, [Cite(7, "Reuters", null)]));
        Assert.Equal("companies/moonshot-ai?asof=2024-06-30#source-7", cut.Find("a.source-link").GetAttribute("href"));
    }
}
