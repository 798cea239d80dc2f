using AiLandscape.Web.Components;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Api;
using AiLandscape.Web.Features.ApiTokens;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Compare;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Dashboard;
using AiLandscape.Web.Features.Disputes;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Events;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Export;
using AiLandscape.Web.Features.History;
using AiLandscape.Web.Features.Import;
using AiLandscape.Web.Features.Investors;
using AiLandscape.Web.Features.Models;
using AiLandscape.Web.Features.People;
using AiLandscape.Web.Features.RoundLabels;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Features.Search;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Features.Valuations;
using AiLandscape.Web.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using MudBlazor.Services;
using Serilog;
using System.Text.Encodings.Web;
using System.Text.Unicode;

// `healthcheck [url]` asks a running instance whether it is ready (the container health check; see README).
if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args, Console.Out);
}

// `create-admin --email ... --password ...` creates the admin and exits instead of serving (see README).
var createAdmin = CreateAdminCommand.Parse(args, Environment.GetEnvironmentVariable, out var commandError);
if (commandError is not null)
{
    Console.Error.WriteLine(commandError);
    return 2;
}

var builder = WebApplication.CreateBuilder(createAdmin is null ? args : []);

// Logs of the start-up itself (embedded database) use the same Serilog settings as the app.
// A plain logger, not a frozen bootstrap one: several hosts in one process (tests) must each build their own.
Log.Logger = new LoggerConfiguration().ReadFrom.Configuration(builder.Configuration).CreateLogger();
builder.Services.AddSerilog((services, config) => config
    .ReadFrom.Configuration(builder.Configuration)
    .ReadFrom.Services(services));

// Serves MudBlazor's and the app's static assets when run from the build output in any environment.
builder.WebHost.UseStaticWebAssets();

try
{
    await builder.AddAppDatabaseAsync();
}
catch (EmbeddedPostgresUnavailableException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

builder.AddSecurityHeaders();
builder.AddSecureCookies();
builder.Services.AddRazorComponents().AddInteractiveServerComponents().AddHubLimits();
// Chinese text goes into the HTML as UTF-8 characters (3 bytes), not as &#x6708; references (8 bytes): the
// components' renderer takes the HtmlEncoder from DI. Only the HTML encoder: URL and JavaScript encoders keep
// escaping non-ASCII, which headers (redirect locations) and scripts need. ADR 0014.
builder.Services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
builder.Services.AddMudServices();
builder.AddAccounts();
builder.AddApi();
builder.AddApiTokens();
builder.Services.AddSingleton<ChangeKeyedCache>();

// The areas: each registers its own services. The first nine also add their section of the API reference, in this
// order; Editing (the audited writer and the write API's plumbing) comes after them, as its section does. ADR 0030.
builder.Services
    .AddSearch()
    .AddCompanies()
    .AddInvestors()
    .AddRounds()
    .AddValuations()
    .AddEvents()
    .AddModels()
    .AddSources()
    .AddExchangeRates()
    .AddEditing()
    .AddPeople()
    .AddRoundLabels()
    .AddDisputes()
    .AddHistory()
    .AddAsOf()
    .AddCompare()
    .AddDashboard()
    .AddExport()
    .AddScoped<RoundImportService>();

var app = builder.Build();

try
{
    await app.Services.MigrateAndSeedAsync();
    if (createAdmin is not null)
    {
        var exitCode = await createAdmin.RunAsync(app.Services, Console.Out, Console.Error);
        await app.DisposeAsync();
        return exitCode;
    }
    await app.Services.EnsureAccountsAsync();
}
catch (Exception ex)
{
    Log.Fatal(ex, "The database could not be migrated or seeded, or the accounts could not be set up");
    await app.DisposeAsync(); // stops the embedded cluster, if any
    return 1;
}

app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseSerilogRequestLogging();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseApiProblemDetails();
app.UseAddressRateLimits(); // before authentication: bad API tokens and as-of views are limited per address
app.UseAuthentication();
app.UsePendingAccountSteps();
app.UseAuthorization();
app.UseAntiforgery();
IdempotentWrite.BufferBodies(app);

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();

app.MapBenchmarkDiagnostics(); // off unless Benchmark:Diagnostics is set outside Production (benchmarks/http)
app.MapCompareEndpoints();
// Each area maps its read and write endpoints onto the /api/v1 group (the document lists them in this order).
app.MapApi()
    .MapSearchApi()
    .MapCompaniesApi()
    .MapInvestorsApi()
    .MapRoundsApi()
    .MapValuationsApi()
    .MapEventsApi()
    .MapModelsApi()
    .MapSourcesApi()
    .MapExchangeRatesApi()
    .MapPeopleApi();
app.MapExportEndpoints();

app.MapAccountEndpoints();
app.MapStaticAssets().AllowAnonymous();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;
