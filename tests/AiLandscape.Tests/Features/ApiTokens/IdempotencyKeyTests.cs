using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ApiTokens;
using AiLandscape.Web.Features.Editing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.ApiTokens;

/// <summary>
/// A client that retries a write (its answer was lost, it timed out) sends the same Idempotency-Key: the record is
/// saved once and every retry gets the first answer. The key is stored in the save's own transaction (ADR 0025).
/// Also: amounts beyond what the database column holds are a validation error naming the field, not a 500.
/// </summary>
public class IdempotencyKeyTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("idempotency");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<HttpClient> ClientAsync(string email, DelegatingHandler? handler = null)
    {
        var tokens = await _app.ServiceAsAsync<ApiTokenService>(email);
        var token = (await tokens.CreateAsync("retrying script", 30)).Created!.Token;
        var client = handler is null
            ? _app.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false })
            : _app.App.CreateDefaultClient(handler);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<JsonObject> NewRoundAsync(decimal amount = 300_000_000m, string month = "2026-04", string stage = "SeriesB")
    {
        await using var db = _app.Db();
        var deepseek = await db.Companies.SingleAsync(c => c.Slug == "deepseek");
        return new JsonObject
        {
            ["companyId"] = deepseek.Id,
            ["announcedOn"] = month,
            ["stage"] = stage,
            ["disclosure"] = "Disclosed",
            ["currency"] = "USD",
            ["amount"] = amount,
            ["sources"] = new JsonArray(new JsonObject { ["url"] = $"https://example.com/deepseek-{month}-{stage}", ["title"] = "DeepSeek raises again" }),
        };
    }

    private static HttpRequestMessage Post(JsonObject body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/rounds") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add(IdempotentWrite.Header, key);
        }
        return request;
    }

    private async Task<(int Rounds, int AuditEntries)> WrittenAsync()
    {
        await using var db = _app.Db();
        return (await db.FundingRounds.CountAsync(r => r.Company.Slug == "deepseek" && r.AnnouncedOn!.Value.Year == 2026),
            await db.AuditEntries.CountAsync(a => a.RecordType == RecordType.FundingRound));
    }

    [Fact]
    public async Task The_same_post_twice_with_one_key_saves_one_round_with_one_audit_entry_and_answers_the_same()
    {
        using var client = await ClientAsync(EditingApp.Editor);
        var body = await NewRoundAsync();
        var key = Guid.NewGuid().ToString();

        var first = await client.SendAsync(Post(body, key));
        var second = await client.SendAsync(Post(body, key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        var id = (await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<int>();
        Assert.Equal(id, (await second.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<int>());
        Assert.Equal((1, 1), await WrittenAsync());

        // Without a key (or with a new one) a second post is a second round, as before.
        var next = await NewRoundAsync(month: "2026-06", stage: "SeriesC");
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Post(next, Guid.NewGuid().ToString()))).StatusCode);
        Assert.Equal((2, 2), await WrittenAsync());
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_naming_the_header_and_writes_nothing()
    {
        using var client = await ClientAsync(EditingApp.Editor);
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Post(await NewRoundAsync(), key))).StatusCode);

        var other = await client.SendAsync(Post(await NewRoundAsync(amount: 400_000_000m), key));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        var problem = (await other.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("Idempotency-Key", problem["detail"]!.GetValue<string>());
        Assert.Equal("Idempotency-Key", problem["header"]!.GetValue<string>());
        Assert.Equal((1, 1), await WrittenAsync());

        // Another user's key of the same value is theirs: it saves.
        using var admin = await ClientAsync(EditingApp.Admin);
        var theirs = await NewRoundAsync(month: "2026-06", stage: "SeriesC");
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(Post(theirs, key))).StatusCode);
        Assert.Equal((2, 2), await WrittenAsync());

        var tooLong = await client.SendAsync(Post(await NewRoundAsync(), new string('k', 201)));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.NotNull((await tooLong.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["Idempotency-Key"]);
    }

    /// <summary>The server answers, the network loses the answer: what a client sees as a timeout.</summary>
    private sealed class LosesFirstAnswer : DelegatingHandler
    {
        public int Sent { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var response = await base.SendAsync(request, ct);
            if (++Sent == 1)
            {
                response.Dispose();
                throw new HttpRequestException("The connection was reset before the answer arrived.");
            }
            return response;
        }
    }

    [Fact]
    public async Task A_retry_after_a_lost_answer_gets_the_first_answer_and_the_round_is_saved_once()
    {
        var network = new LosesFirstAnswer();
        using var client = await ClientAsync(EditingApp.Editor, network);
        var body = await NewRoundAsync();
        var key = Guid.NewGuid().ToString();

        // A client retrying with the same key, as the API documentation asks.
        HttpResponseMessage? answer = null;
        for (var attempt = 0; attempt < 3 && answer is null; attempt++)
        {
            try
            {
                answer = await client.SendAsync(Post(body, key));
            }
            catch (HttpRequestException)
            {
                // lost: send it again
            }
        }

        Assert.Equal(2, network.Sent);
        Assert.Equal(HttpStatusCode.Created, answer!.StatusCode);
        await using var db = _app.Db();
        var round = await db.FundingRounds.SingleAsync(r => r.Company.Slug == "deepseek" && r.AnnouncedOn!.Value.Year == 2026);
        Assert.Equal($"/api/v1/rounds/{round.Id}/edit", answer.Headers.Location!.OriginalString);
        Assert.Equal((1, 1), await WrittenAsync());
    }

    [Fact]
    public async Task Two_requests_with_one_key_at_the_same_time_save_once_and_answer_alike()
    {
        using var client = await ClientAsync(EditingApp.Editor);
        var body = await NewRoundAsync();
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(client.SendAsync(Post(body, key)), client.SendAsync(Post(body, key)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        Assert.Equal(answers[0].Headers.Location, answers[1].Headers.Location);
        Assert.Equal((1, 1), await WrittenAsync());
    }

    [Fact]
    public async Task A_retried_delete_answers_no_content_again_instead_of_not_found()
    {
        using var client = await ClientAsync(EditingApp.Editor);
        var created = await client.SendAsync(Post(await NewRoundAsync(), null));
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<int>();
        await using var db = _app.Db();
        var version = (await db.FundingRounds.AsNoTracking().SingleAsync(r => r.Id == id)).Version;
        var key = Guid.NewGuid().ToString();

        HttpRequestMessage Delete()
        {
            var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/rounds/{id}?version={version}");
            request.Headers.Add(IdempotentWrite.Header, key);
            return request;
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Delete())).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Delete())).StatusCode);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.RecordType == RecordType.FundingRound && a.Action == AuditAction.Delete));
    }

    [Fact]
    public async Task An_amount_beyond_the_database_column_is_a_validation_error_naming_the_field()
    {
        using var client = await ClientAsync(EditingApp.Editor);
        var body = await NewRoundAsync(amount: 10_000_000_000_000_000m);
        body["postMoneyValuation"] = 99_999_999_999_999_999m;

        var answer = await client.SendAsync(Post(body, Guid.NewGuid().ToString()));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var errors = (await answer.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains("at most", errors["amount"]![0]!.GetValue<string>());
        Assert.Contains("at most", errors["postMoneyValuation"]![0]!.GetValue<string>());
        Assert.Equal((0, 0), await WrittenAsync());
    }
}
