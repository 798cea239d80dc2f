using System.Net;
using System.Text.RegularExpressions;

namespace AiLandscape.Faults;

/// <summary>
/// An HttpClient that keeps cookies as a browser does on http://127.0.0.1: the app (Production) marks its sign-in
/// cookie Secure (ADR 0025), which browsers store and send back on loopback (a secure context) but .NET's cookie
/// handling sends over https only. The harness runs the app on plain loopback http, so it does what the browser does.
/// </summary>
public static partial class LocalBrowser
{
    public static HttpClient Create(CookieContainer cookies, string baseAddress, TimeSpan? timeout = null)
    {
        var client = new HttpClient(new LoopbackCookies(cookies) { InnerHandler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false } })
        {
            BaseAddress = new Uri(baseAddress),
        };
        if (timeout is { } t)
        {
            client.Timeout = t;
        }
        return client;
    }

    [GeneratedRegex(@";\s*secure\s*(?=;|$)", RegexOptions.IgnoreCase)]
    private static partial Regex SecureAttribute();

    private sealed class LoopbackCookies(CookieContainer cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var uri = request.RequestUri!;
            var header = cookies.GetCookieHeader(uri);
            if (header.Length > 0)
            {
                request.Headers.Add("Cookie", header);
            }
            var response = await base.SendAsync(request, ct);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    cookies.SetCookies(uri, SecureAttribute().Replace(setCookie, ""));
                }
            }
            return response;
        }
    }
}
