using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AiLandscape.TestSupport;

/// <summary>
/// The built app run as its own process, exactly as `dotnet run` would run it: for what only a real start shows
/// (the embedded database, exit codes, static assets outside Development).
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public string BaseAddress { get; }
    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }
    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    private AppProcess(Process process, string baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>The app's dll in its own build output, built in the same configuration as the tests.</summary>
    public static string AppDll
    {
        get
        {
            // tests/<Project>/bin/<Configuration>/<tfm>/
            var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = tfmDir.Parent!.Name;
            var dll = Path.Combine(RepoPaths.Root, "src", "AiLandscape.Web", "bin", configuration, tfmDir.Name, "AiLandscape.Web.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the app first: dotnet build", dll);
        }
    }

    /// <summary>Starts the app; <paramref name="args"/> go on its command line (e.g. a command like create-admin).</summary>
    public static AppProcess Start(IDictionary<string, string?> environment, string workingDirectory, params string[] args)
    {
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(AppDll);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment.Remove("ConnectionStrings__AiLandscape");
        psi.Environment.Remove("ConnectionStrings__AiLandscapeOwner");
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }
        var process = new Process { StartInfo = psi };
        var app = new AppProcess(process, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (app._stdout) { app._stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (app._stderr) { app._stderr.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Waits until /health/ready answers 200, or fails with what the app printed.</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {_process.ExitCode}.\n{Stdout}\n{Stderr}");
            }
            try
            {
                using var response = await http.GetAsync(BaseAddress + "/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The app was not ready within {timeout}.\n{Stdout}\n{Stderr}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // flush redirected output
        return _process.ExitCode;
    }

    /// <summary>Kills the app as kill -9 or the OOM killer would: no shutdown code runs.</summary>
    public void KillAbruptly()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Asks the app to shut down as Ctrl+C or a service manager would (SIGTERM).</summary>
    public async Task StopGracefullyAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        await WaitForExitAsync(TimeSpan.FromSeconds(60));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopGracefullyAsync();
        }
        finally
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            _process.Dispose();
        }
    }
}
