using System.Text.Json;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AiLandscape.Benchmarks.Http;

/// <summary>One bare endpoint: the SQL commands the app's handler sends for the same request, in order.</summary>
public sealed record BareEndpoint(string Path, string AppPath, IReadOnlyList<RecordedCommand> Commands);

/// <summary>
/// <c>bare-api --connection CS --urls URL</c>: the floor for the API throughput figure. A Kestrel server with no
/// middleware, no routing, no EF Core: each path runs, over a plain Npgsql data source, the SQL commands the app's own
/// handler sends for the same list (recorded from the handler through EF Core, with its parameters, on a warm second
/// call so caches hold what they hold in a running app) and writes every row of every result as JSON.
/// <list type="bullet">
/// <item><c>/bare/companies</c> = <c>/api/v1/companies</c></item>
/// <item><c>/bare/rounds</c> = <c>/api/v1/rounds</c></item>
/// </list>
/// </summary>
public static class BareApi
{
    public static async Task<int> RunAsync(string[] args, TextWriter log)
    {
        var a = Args.Parse(args);
        var connectionString = a.Required("connection");
        var endpoints = await CaptureAsync(connectionString);
        await using var app = Build(connectionString, a.String("urls", "http://127.0.0.1:5099"), endpoints);
        await app.StartAsync();
        foreach (var e in endpoints)
        {
            await log.WriteLineAsync($"bare-api: {e.Path} runs the {e.Commands.Count} SQL command(s) of {e.AppPath}");
        }
        await log.WriteLineAsync($"bare-api: listening on {string.Join(", ", Addresses(app))}");
        await app.WaitForShutdownAsync();
        return 0;
    }

    public static IEnumerable<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];

    /// <summary>Calls the app's API handlers through EF Core with the app's options and records what they send.</summary>
    public static async Task<IReadOnlyList<BareEndpoint>> CaptureAsync(string connectionString)
    {
        var recorder = new SqlRecorder();
        await using var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddDbContextFactory<AppDbContext>(o => o.UseAppDatabase(connectionString).AddInterceptors(recorder))
            .BuildServiceProvider();
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        using var cache = new ChangeKeyedCache();

        async Task<IReadOnlyList<RecordedCommand>> Record(Func<Task> call)
        {
            await call(); // fills the caches, as in a running app
            recorder.Reset(keep: true);
            await call();
            var kept = recorder.Kept.ToList();
            recorder.Reset();
            return kept;
        }

        return
        [
            new BareEndpoint("/bare/companies", "/api/v1/companies",
                await Record(() => CompaniesApi.ListCompanies(Request(), new CompanyService(factory, cache), default))),
            new BareEndpoint("/bare/rounds", "/api/v1/rounds",
                await Record(() => RoundsApi.ListRounds(Request(), new RoundService(factory, cache), default))),
        ];
    }

    private static HttpRequest Request()
    {
        var http = new DefaultHttpContext();
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("localhost");
        http.Request.Path = "/api/v1/list";
        return http.Request;
    }

    public static WebApplication Build(string connectionString, string urls, IReadOnlyList<BareEndpoint> endpoints)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        var dataSource = NpgsqlDataSource.Create(connectionString);
        app.Lifetime.ApplicationStopped.Register(dataSource.Dispose);
        var byPath = endpoints.ToDictionary(e => e.Path, StringComparer.Ordinal);
        // app.Run: a terminal handler, so no routing or any other middleware runs.
        app.Run(async http =>
        {
            if (!byPath.TryGetValue(http.Request.Path.Value ?? "", out var endpoint))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await WriteAsync(http, dataSource, endpoint);
        });
        return app;
    }

    private static async Task WriteAsync(HttpContext http, NpgsqlDataSource dataSource, BareEndpoint endpoint)
    {
        var ct = http.RequestAborted;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteStartArray("results");
        foreach (var recorded in endpoint.Commands)
        {
            await using var cmd = new NpgsqlCommand(recorded.Sql, conn);
            foreach (var p in recorded.Parameters)
            {
                cmd.Parameters.Add(p.Clone());
            }
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            do
            {
                json.WriteStartArray();
                while (await reader.ReadAsync(ct))
                {
                    json.WriteStartObject();
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        json.WritePropertyName(reader.GetName(i));
                        var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                        JsonSerializer.Serialize(json, value, value?.GetType() ?? typeof(object));
                    }
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            while (await reader.NextResultAsync(ct));
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }
}
