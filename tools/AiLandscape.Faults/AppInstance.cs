using System.Diagnostics;
using System.Net;
using System.Text;

namespace AiLandscape.Faults;

/// <summary>The built app as its own process (Production settings), started, killed and started again on one port.</summary>
public sealed class AppInstance : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>The per-client limits the harness lifts (it is many clients on one address) unless its caller restores them.</summary>
    public static readonly string[] LiftedClientLimits =
        ["RateLimiting__PermitLimit", "Accounts__LoginAttemptsPerClient", "Accounts__LoginAttemptsPerAccount"];

    public int Port { get; } = Cluster.FreePort();
    public string BaseAddress => $"http://127.0.0.1:{Port}";
    public string Output { get { lock (_output) { return _output.ToString(); } } }
    private int _outputAtStart;

    /// <param name="readConnectionString">A read replica's connection string (ConnectionStrings:AiLandscapeRead), if any.</param>
    /// <param name="settings">Environment settings over the harness's own (a null value: the app's setting, e.g.
    /// its per-client limits, which the harness otherwise lifts).</param>
    public AppInstance(string connectionString, string logDirectory, string? readConnectionString = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        _environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__AiLandscape"] = connectionString,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = BaseAddress,
            ["DOTNET_NOLOGO"] = "1",
            // The harness is many clients on one address: lift the per-client limits for its run.
            [LiftedClientLimits[0]] = "1000000",
            [LiftedClientLimits[1]] = "100000",
            [LiftedClientLimits[2]] = "100000",
            ["Serilog__WriteTo__1__Args__path"] = Path.Combine(logDirectory, "app-.log"),
        };
        if (readConnectionString is not null)
        {
            _environment["ConnectionStrings__AiLandscapeRead"] = readConnectionString;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                _environment.Remove(key);
            }
            else
            {
                _environment[key] = value;
            }
        }
    }

    public static string AppDll
    {
        get
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var root = tfm;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "AiLandscape.sln")))
            {
                root = root.Parent;
            }
            var dll = Path.Combine(root?.FullName ?? ".", "src", "AiLandscape.Web", "bin", tfm.Parent!.Name, tfm.Name, "AiLandscape.Web.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the app first: dotnet build", dll);
        }
    }

    /// <summary>Runs the app's command line once (e.g. create-admin) and returns its exit code and output.</summary>
    public async Task<(int Code, string Output)> RunCommandAsync(params string[] args)
    {
        using var p = Process.Start(StartInfo(args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + await stderr);
    }

    public async Task StartAsync(TimeSpan timeout)
    {
        lock (_output)
        {
            _outputAtStart = _output.Length;
        }
        var process = Process.Start(StartInfo([]))!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (_output) { _output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (_output) { _output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {process.ExitCode}:\n{Output}");
            }
            try
            {
                using var r = await http.GetAsync(BaseAddress + "/health/ready");
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The app was not ready within {timeout}:\n{Output}");
    }

    /// <summary>
    /// Waits until this instance, since its last start, has logged an answer to a GET of one of
    /// <paramref name="paths"/> (its request log), e.g. one that a proxy passed to it; false after the timeout.
    /// </summary>
    public async Task<bool> ServedAsync(IReadOnlyCollection<string> paths, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            string since;
            lock (_output)
            {
                since = _output.ToString(_outputAtStart, _output.Length - _outputAtStart);
            }
            if (paths.Any(p => since.Contains($"HTTP GET {p} responded", StringComparison.Ordinal)))
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit();
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            using (var term = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
            }
        }
    }

    private ProcessStartInfo StartInfo(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AppDll)!,
        };
        psi.ArgumentList.Add(AppDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in _environment)
        {
            psi.Environment[k] = v;
        }
        return psi;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
    }
}
