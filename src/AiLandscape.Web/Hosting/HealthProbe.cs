namespace AiLandscape.Web.Hosting;

/// <summary>
/// `healthcheck [url]`: asks a running instance whether it is ready and exits 0 (ready) or 1, for container health
/// checks in an image that has no curl or wget. The default URL is this machine's /health/ready on the port the app
/// listens on in containers (ASPNETCORE_HTTP_PORTS, else 8080).
/// </summary>
public static class HealthProbe
{
    public const string Command = "healthcheck";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Command;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var port = (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080").Split(';', ',')[0].Trim();
        var url = args.Length > 1 ? args[1] : $"http://127.0.0.1:{port}/health/ready";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(url);
            await output.WriteLineAsync($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"{url}: {ex.Message}");
            return 1;
        }
    }
}
