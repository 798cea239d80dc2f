using AiLandscape.Web.Components;
using AiLandscape.Web.Features.Compare;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Dashboard;
using AiLandscape.Web.Features.Investors;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using MudBlazor.Services;
using Serilog;

var builder = WebApplication.CreateBuilder(args);

// Logs of the start-up itself (embedded database) use the same Serilog settings as the app.
Log.Logger = new LoggerConfiguration().ReadFrom.Configuration(builder.Configuration).CreateBootstrapLogger();
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

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddScoped<CompanyService>();
builder.Services.AddScoped<InvestorService>();
builder.Services.AddScoped<RoundService>();
builder.Services.AddScoped<CompareService>();
builder.Services.AddScoped<DashboardService>();

var app = builder.Build();

try
{
    await app.Services.MigrateAndSeedAsync();
}
catch (Exception ex)
{
    Log.Fatal(ex, "The database could not be migrated or seeded");
    await app.DisposeAsync(); // stops the embedded cluster, if any
    return 1;
}

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseSerilogRequestLogging();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;
