using System.Diagnostics;
using System.Globalization;

namespace AiLandscape.Faults;

/// <summary>
/// Debian's nginx in front of app instances on loopback, with the rules of tools/compose/nginx.conf (sticky by
/// client address, WebSocket upgrade, next upstream on a dead instance, per-client limit_req), run in the foreground
/// from a folder of its own.
/// </summary>
public sealed class Nginx : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _root;

    public int Port { get; }
    public string BaseAddress => $"http://127.0.0.1:{Port}";

    private Nginx(Process process, string root, int port)
    {
        _process = process;
        _root = root;
        Port = port;
    }

    /// <param name="requestsPerSecond">limit_req's rate per client address, with <paramref name="burst"/> requests beyond it.</param>
    /// <param name="port">The port to listen on (127.0.0.1); 0 for a free one.</param>
    public static async Task<Nginx> StartAsync(IEnumerable<int> upstreamPorts, int requestsPerSecond, int burst = 100, int port = 0)
    {
        var binary = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed: apt-get install -y nginx (.ci/run installs it).");
        var root = Directory.CreateTempSubdirectory("ailandscape-nginx-").FullName;
        port = port == 0 ? Cluster.FreePort() : port;
        var servers = string.Join("\n", upstreamPorts.Select(p => $"        server 127.0.0.1:{p} max_fails=3 fail_timeout=2s;"));
        var user = Environment.UserName == "root" ? "user root;" : "";
        var config = $$"""
            {{user}}
            worker_processes 1;
            pid {{root}}/nginx.pid;
            error_log {{root}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{root}}/body;
                proxy_temp_path {{root}}/proxy;
                fastcgi_temp_path {{root}}/fastcgi;
                uwsgi_temp_path {{root}}/uwsgi;
                scgi_temp_path {{root}}/scgi;
                limit_req_zone $binary_remote_addr zone=per_client:10m rate={{requestsPerSecond}}r/s;
                upstream ailandscape {
                    ip_hash;
            {{servers}}
                }
                map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        limit_req zone=per_client burst={{burst}} nodelay;
                        limit_req_status 429;
                        proxy_pass http://ailandscape;
                        proxy_http_version 1.1;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                        proxy_read_timeout 1h;
                        proxy_next_upstream error timeout http_502 http_503;
                    }
                }
            }
            """;
        var file = Path.Combine(root, "nginx.conf");
        await File.WriteAllTextAsync(file, config);
        var psi = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-p", root, "-c", file, "-g", "daemon off;" })
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi)!;
        var nginx = new Nginx(process, root, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("nginx exited: " + await process.StandardError.ReadToEndAsync());
            }
            try
            {
                using var r = await http.GetAsync(nginx.BaseAddress + "/health/live");
                if (r.IsSuccessStatusCode)
                {
                    return nginx;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("nginx did not answer: " + File.ReadAllText(Path.Combine(root, "error.log")));
    }

    /// <summary>
    /// What nginx's error log says about the upstreams (why a request was answered 502, say): each distinct message
    /// with the time it first appeared and how often, the client's request left out.
    /// </summary>
    public string UpstreamErrors()
    {
        var file = Path.Combine(_root, "error.log");
        if (!File.Exists(file))
        {
            return "";
        }
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var messages = reader.ReadToEnd().Split('\n')
            .Where(l => l.Contains("upstream", StringComparison.Ordinal))
            .Select(l => (Time: l.Length > 19 ? l[11..19] : "", Text: System.Text.RegularExpressions.Regex.Replace(l, @"^\S+ \S+ \[\w+\] \d+#\d+: \*\d+ |, client: .*?, server: .*?, request: ""[^""]*""|, host: .*$", "")))
            .GroupBy(m => m.Text)
            .Select(g => $"{g.First().Time} ×{g.Count()} {g.Key}");
        return string.Join("\n", messages);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var quit = Process.Start("kill", ["-QUIT", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await quit.WaitForExitAsync();
            }
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
