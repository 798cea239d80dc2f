using System.Runtime.InteropServices;

namespace AiLandscape.Faults;

/// <summary>
/// tools/faults/run [--cycles N] [--only KEY]: see README "Faults". Exit 0 when every scenario that ran held.
/// tools/scaleout/run (serve [--port P] [--data DIR]): see README "Scaling out".
/// </summary>
public static class FaultsProgram
{
    public const string DefaultScaleOutData = "/var/tmp/ailandscape-scaleout";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "serve")
        {
            return await ServeAsync(args[1..]);
        }
        var cycles = 50;
        string? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--cycles" && i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0)
            {
                cycles = n;
                i++;
            }
            else if (args[i] == "--only" && i + 1 < args.Length)
            {
                only = args[++i];
            }
            else
            {
                await Console.Error.WriteLineAsync("Usage: tools/faults/run [--cycles N] [--only database-writes|database-reads|app-writes|nginx|replica]   (N kills of PostgreSQL during writes; default 50)");
                return 2;
            }
        }
        var report = await FaultRun.RunAsync(cycles, Console.Out, only);
        return report.AllRunHeld ? 0 : 1;
    }

    /// <summary>Runs <see cref="ScaleOut"/> until SIGINT (Ctrl+C) or SIGTERM, then stops all it started.</summary>
    private static async Task<int> ServeAsync(string[] args)
    {
        var port = 8081;
        var data = DefaultScaleOutData;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--port" && i + 1 < args.Length && int.TryParse(args[i + 1], out var p) && p is > 0 and < 65536)
            {
                port = p;
                i++;
            }
            else if (args[i] == "--data" && i + 1 < args.Length)
            {
                data = args[++i];
            }
            else
            {
                await Console.Error.WriteLineAsync($"Usage: tools/scaleout/run [--port P] [--data DIR]   (default port 8081, data {DefaultScaleOutData})");
                return 2;
            }
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // stopped below, in order, not by the runtime
            if (stop.TrySetResult())
            {
                Console.WriteLine($"{context.Signal}: stopping nginx, the apps, then PostgreSQL");
            }
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        ScaleOut running;
        try
        {
            running = await ScaleOut.StartAsync(new ScaleOutOptions(data, port), Console.Out);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
        {
            if (stop.Task.IsCompleted)
            {
                // Ctrl+C in a terminal reaches the apps and nginx too: a part that was starting exited. The rest is stopped.
                Console.WriteLine("scaleout: stopped while starting");
                return 0;
            }
            await Console.Error.WriteLineAsync("scaleout: " + ex.Message);
            return 1;
        }
        await using (running)
        {
            if (!stop.Task.IsCompleted)
            {
                Console.WriteLine($"scaleout: open {running.Proxy.BaseAddress} (Ctrl+C stops everything)");
                await stop.Task;
            }
        }
        Console.WriteLine("scaleout: stopped");
        return 0;
    }
}
