using System.Globalization;

namespace AiLandscape.Web.Hosting;

/// <summary>
/// <c>GET /_benchmark/heap</c>: the managed heap after a full, compacting garbage collection, for the HTTP and browser
/// harness (benchmarks/http/run) to measure server memory per Blazor circuit. Mapped only when the setting
/// <c>Benchmark:Diagnostics</c> is true (it is false unless set) and the environment is not Production: a production
/// deployment never answers it, whatever its configuration says. Forcing a full collection stalls every request, so
/// it is a benchmark's tool, not a health figure.
/// </summary>
public static class BenchmarkDiagnostics
{
    public const string Setting = "Benchmark:Diagnostics";
    public const string HeapPath = "/_benchmark/heap";

    public static bool IsEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        !environment.IsProduction() && configuration.GetValue<bool>(Setting);

    public static WebApplication MapBenchmarkDiagnostics(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration, app.Environment))
        {
            return app;
        }
        app.MapGet(HeapPath, () =>
        {
            // Twice, with the finalizers in between: objects that finalizers release are collected by the second.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
            return Results.Text(string.Create(CultureInfo.InvariantCulture,
                $$"""{"managedHeapBytes":{{GC.GetTotalMemory(false)}},"heapSizeBytes":{{info.HeapSizeBytes}},"workingSetBytes":{{Environment.WorkingSet}}}"""),
                "application/json");
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
