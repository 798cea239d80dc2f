using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AiLandscape.TestSupport;

/// <summary>The real app (Program.cs) against a test database, in memory or on a real loopback socket.</summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    private readonly string _connectionString;
    private readonly string _environment;
    private readonly Dictionary<string, string?> _settings;
    private readonly SqlCommandCounter? _sqlCommands;

    /// <param name="sqlCommands">When given, counts every SQL command the app's contexts send.</param>
    public AppFactory(string connectionString, string environment = "Development",
        Dictionary<string, string?>? settings = null, bool realSocket = false, SqlCommandCounter? sqlCommands = null)
    {
        _connectionString = connectionString;
        _sqlCommands = sqlCommands;
        _environment = environment;
        _settings = settings ?? [];
        if (realSocket)
        {
            UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        }
    }

    /// <summary>The connection the test gave: the owner's (superuser's), which migrates; the app runs as its app role.</summary>
    public string OwnerConnectionString => _connectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // The app runs as the least-privileged role and migrates as the owner, as a deployment does (ADR 0025).
        builder.UseSetting("ConnectionStrings:AiLandscape", TestPostgres.AsAppRole(_connectionString));
        builder.UseSetting("ConnectionStrings:AiLandscapeOwner", _connectionString);
        // Test hosts log warnings to the console only; the rolling file is for real runs.
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Serilog:WriteTo:1:Args:path", Path.Combine(Path.GetTempPath(), "ailandscape-test-logs", "log-.log"));
        // A test host signs in far more often from one client than a person would; the throttle's own test sets the
        // shipped limits back (LoginTests).
        builder.UseSetting("Accounts:LoginAttemptsPerClient", "100000");
        builder.UseSetting("Accounts:LoginAttemptsPerAccount", "100000");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (_sqlCommands is { } counter)
        {
            builder.ConfigureServices(services =>
                services.ConfigureDbContext<AiLandscape.Web.Data.AppDbContext>(o => o.AddInterceptors(counter)));
        }
    }

    /// <summary>Starts Kestrel (realSocket: true) and returns its http://127.0.0.1:port address.</summary>
    public string StartAndGetAddress()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        return addresses.Addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
    }
}
