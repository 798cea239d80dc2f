using System.Net;

namespace AiLandscape.Tests.Hosting;

/// <summary>Cross-site WebSocket hijacking: another site's page cannot open a Blazor circuit with the user's cookie.</summary>
public sealed class HubOriginTests
{
    [Fact]
    public async Task The_Blazor_hub_refuses_a_browser_request_from_another_origin()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("hub_origin"));
        using var client = app.CreateClient();

        async Task<HttpStatusCode> NegotiateAsync(string? origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync("http://localhost"));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(null)); // not a browser: no cross-site request
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("http://localhost.evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("null"));
        // Long polling and the WebSocket upgrade go to the same path.
        using var poll = new HttpRequestMessage(HttpMethod.Get, "/_blazor?id=anything");
        poll.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(poll)).StatusCode);
    }
}
