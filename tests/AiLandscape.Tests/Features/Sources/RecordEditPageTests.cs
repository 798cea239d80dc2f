using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Features.Events;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Models;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Features.Valuations;
using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;

namespace AiLandscape.Tests.Features.Sources;

/// <summary>
/// The edit pages of valuations, events, models, sources and rates rendered by bUnit over the real services (a scope
/// signed in as the demo editor): they load, show their fields and put the service's messages under them.
/// </summary>
public class RecordEditPageTests : IAsyncLifetime
{
    private EditingApp _app = null!;
    private BunitContext _ctx = null!;

    public async Task InitializeAsync()
    {
        _app = await EditingApp.StartAsync("record_edit_pages");
        var scope = await _app.AsAsync(EditingApp.Editor);
        // A loaded CI machine (browser tests and PostgreSQL beside this) can take seconds to run a render.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(30);
        _ctx = new BunitContext();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddFallbackServiceProvider(scope.ServiceProvider);
        _ctx.Render<MudBlazor.MudPopoverProvider>();
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _app.DisposeAsync();
    }

    // MudBlazor puts a field's extra attributes on the input or on its wrapper, depending on the component.
    private static string Input(string testId) => $"input[data-testid={testId}], [data-testid={testId}] input";

    [Fact]
    public async Task A_new_valuation_saved_empty_shows_the_rules_and_lists_the_companys_rounds()
    {
        var page = _ctx.Render<ValuationEditPage>(p => p.Add(x => x.Slug, "moonshot-ai"));
        await page.WaitForAssertionAsync(() => Assert.Contains("New valuation of Moonshot AI", page.Markup, StringComparison.Ordinal));

        page.Find("form[data-testid=edit-form]").Submit();

        await page.WaitForAssertionAsync(() => Assert.Contains("Valued on is required.", page.Find("[data-testid=form-errors]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Amount is required.", page.Find("[data-testid=form-errors]").TextContent, StringComparison.Ordinal);
        Assert.Contains("add at least one source", page.Find("[data-testid=sources-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_edit_pages_of_existing_records_load_their_values()
    {
        await using var db = _app.Db();
        var valuation = await db.ValuationPoints.AsNoTracking().OrderBy(x => x.Id).FirstAsync();
        var ev = await db.CompanyEvents.AsNoTracking().OrderBy(x => x.Id).FirstAsync();
        var model = await db.ModelReleases.AsNoTracking().OrderBy(x => x.Id).FirstAsync();
        var source = await db.Sources.AsNoTracking().Where(s => s.Citations.Any()).OrderBy(x => x.Id).FirstAsync();

        var v = _ctx.Render<ValuationEditPage>(p => p.Add(x => x.Id, valuation.Id));
        await v.WaitForAssertionAsync(() => Assert.NotEmpty(v.FindAll("[data-testid=source-row]")));
        Assert.NotEmpty(v.FindAll("[data-testid=delete]"));

        var e = _ctx.Render<EventEditPage>(p => p.Add(x => x.Id, ev.Id));
        await e.WaitForAssertionAsync(() => Assert.Contains(ev.Title, e.Find(Input("title")).GetAttribute("value"), StringComparison.Ordinal));

        var m = _ctx.Render<ModelEditPage>(p => p.Add(x => x.Id, model.Id));
        await m.WaitForAssertionAsync(() => Assert.Equal(model.Name, m.Find(Input("name")).GetAttribute("value")));

        var s = _ctx.Render<SourceEditPage>(p => p.Add(x => x.Id, source.Id));
        await s.WaitForAssertionAsync(() => Assert.NotEmpty(s.FindAll("[data-testid=citation-row]")));
        Assert.Contains("#", s.Find(Input("citation-0-record")).GetAttribute("value"), StringComparison.Ordinal);

        var missing = _ctx.Render<EventEditPage>(p => p.Add(x => x.Id, 999_999));
        await missing.WaitForAssertionAsync(() => Assert.NotNull(missing.Find("[data-testid=not-found]")));
    }

    [Fact]
    public async Task The_sources_list_and_the_exchange_rates_list_show_rows_from_the_database()
    {
        var sources = _ctx.Render<SourceListPage>();
        await sources.WaitForAssertionAsync(() => Assert.True(sources.FindAll("[data-testid=source-table] tbody tr").Count > 5));

        var rates = _ctx.Render<ExchangeRatesPage>();
        await rates.WaitForAssertionAsync(() => Assert.Contains("CNY", rates.Find("[data-testid=rate-table] tbody").TextContent, StringComparison.Ordinal));
        Assert.Empty(rates.FindAll("form[data-testid=edit-form]"));
    }

    [Fact]
    public async Task The_exchange_rate_form_shows_the_uniqueness_message_under_the_month()
    {
        await using var db = _app.Db();
        var rate = await db.ExchangeRates.AsNoTracking().Where(x => x.Currency == "CNY").OrderBy(x => x.Month).Skip(1).FirstAsync();
        var first = await db.ExchangeRates.AsNoTracking().Where(x => x.Currency == "CNY").OrderBy(x => x.Month).FirstAsync();
        var page = _ctx.Render<ExchangeRatesPage>(p => p.Add(x => x.Id, rate.Id));
        await page.WaitForAssertionAsync(() => Assert.NotNull(page.Find(Input("month"))));

        page.Find(Input("month")).Change(first.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
        page.Find("form[data-testid=edit-form]").Submit();

        await page.WaitForAssertionAsync(() => Assert.Contains("there is already a CNY rate for", page.Find("[data-testid=form-errors]").TextContent, StringComparison.Ordinal));
    }
}
