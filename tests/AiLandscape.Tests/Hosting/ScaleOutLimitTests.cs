using System.Net;
using System.Net.Sockets;
using AiLandscape.Faults;
using Xunit.Abstractions;

namespace AiLandscape.Tests.Hosting;

/// <summary>
/// tools/scaleout/run's setup (one PostgreSQL, two instances of the built app, nginx in front), with a tiny nginx rate
/// (1 request per second, burst 5) and a tiny API limit (3 requests per hour). Clients are told apart by their source
/// address: each HttpClient binds its connections to its own loopback address (127.0.0.x).
/// </summary>
public sealed class ScaleOutLimitTests(ITestOutputHelper output)
{
    private const int NginxBurst = 5;
    private const int ApiPermits = 3;

    [Fact]
    public async Task Limits_at_the_proxy_and_in_the_app_are_per_client()
    {
        var data = Directory.CreateTempSubdirectory("ailandscape-scaleout-test-").FullName;
        var log = new StringWriter();
        try
        {
            await using var scaleOut = await ScaleOut.StartAsync(new ScaleOutOptions(data, RequestsPerSecond: 1, Burst: NginxBurst,
                AppSettings: new Dictionary<string, string?>
                {
                    ["RateLimiting__PermitLimit"] = ApiPermits.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["RateLimiting__WindowSeconds"] = "3600",
                }), log);
            var proxy = scaleOut.Proxy.BaseAddress;

            // nginx: one client's burst beyond rate + burst is refused by nginx itself; another client is let through.
            using var flooder = From("127.0.0.2", proxy);
            var answers = new List<(HttpStatusCode Status, bool FromNginx)>();
            for (var i = 0; i < 30; i++)
            {
                using var r = await flooder.GetAsync("/health/live");
                answers.Add((r.StatusCode, (await r.Content.ReadAsStringAsync()).Contains("<center>nginx", StringComparison.Ordinal)));
            }
            var summary = string.Join(", ", answers.Select(a => $"{(int)a.Status}{(a.FromNginx ? " nginx" : "")}")) + "\n" + log;
            output.WriteLine($"nginx, one client, 30 requests in a row: {answers.Count(a => a.Status == HttpStatusCode.OK)} answered 200, "
                + $"{answers.Count(a => a.Status == HttpStatusCode.TooManyRequests)} answered 429 (nginx's page)");
            Assert.True(answers.Take(1 + NginxBurst).All(a => a.Status == HttpStatusCode.OK), summary);
            Assert.Contains(answers, a => a.Status == HttpStatusCode.TooManyRequests);
            Assert.All(answers.Where(a => a.Status == HttpStatusCode.TooManyRequests), a => Assert.True(a.FromNginx, summary));
            using var other = From("127.0.0.3", proxy);
            using (var r = await other.GetAsync("/health/live"))
            {
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            }

            // The app, behind nginx: its API limit counts each client (X-Forwarded-For from the proxy), not the proxy.
            using var a = From("127.0.0.4", proxy);
            using var b = From("127.0.0.5", proxy);
            for (var i = 0; i < ApiPermits; i++)
            {
                using var r = await a.GetAsync("/api/v1/companies");
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            }
            using (var r = await a.GetAsync("/api/v1/companies"))
            {
                AssertRefusedByApp(r);
            }
            // A client cannot pick another bucket by sending its own X-Forwarded-For: nginx appends the real address.
            using (var spoofed = new HttpRequestMessage(HttpMethod.Get, "/api/v1/companies"))
            {
                spoofed.Headers.Add("X-Forwarded-For", "203.0.113.9");
                using var r = await a.SendAsync(spoofed);
                AssertRefusedByApp(r);
            }
            using (var r = await b.GetAsync("/api/v1/companies"))
            {
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            }

            // Which instance served them: asked directly from A's address, only the one holding A's used-up bucket refuses.
            var holdingA = new List<AppInstance>();
            foreach (var app in scaleOut.Apps)
            {
                using var direct = From("127.0.0.4", app.BaseAddress);
                using var r = await direct.GetAsync("/api/v1/companies");
                if (r.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    holdingA.Add(app);
                }
            }
            var instance = Assert.Single(holdingA);
            // B went to that same instance (nginx's ip_hash keys IPv4 clients by their first three bytes): used up
            // through the proxy, B is refused there too. So one instance kept A's and B's counts apart.
            for (var i = 1; i < ApiPermits; i++)
            {
                using var r = await b.GetAsync("/api/v1/companies");
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            }
            using (var r = await b.GetAsync("/api/v1/companies"))
            {
                AssertRefusedByApp(r);
            }
            using (var directB = From("127.0.0.5", instance.BaseAddress))
            using (var r = await directB.GetAsync("/api/v1/companies"))
            {
                AssertRefusedByApp(r);
            }
            // ... and the proxy's own address, from which every proxied request arrived, was not counted for them.
            using (var fromProxyAddress = From("127.0.0.1", instance.BaseAddress))
            using (var r = await fromProxyAddress.GetAsync("/api/v1/companies"))
            {
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static void AssertRefusedByApp(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A client whose connections come from <paramref name="sourceAddress"/> (any 127.0.0.x is this machine).</summary>
    private static HttpClient From(string sourceAddress, string baseAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(sourceAddress), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromSeconds(60) };
}
