using System.Net;
using System.Text.Json;

namespace AiLandscape.Tests.Features.Api;

/// <summary>The contract of /api/v1/search: the site's search box for scripts.</summary>
public class SearchApiTests(ApiApp api) : IClassFixture<ApiApp>
{
    private Task<ApiResponse> Get(string path) => ApiResponse.GetAsync(api.Client, path);

    private static JsonElement Group(ApiResponse r, string kind) =>
        r.Json.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("kind").GetString() == kind);

    [Fact]
    public async Task A_chinese_name_finds_the_person_and_their_company_grouped_by_kind()
    {
        var r = (await Get("/api/v1/search?q=" + Uri.EscapeDataString("李开复"))).Ok();
        Assert.Equal("李开复", r.Json.GetProperty("query").GetString());
        Assert.Equal(["Company", "Investor", "Person", "Model", "Source"],
            r.Json.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("kind").GetString()));
        var person = Group(r, "Person").GetProperty("items")[0];
        Assert.Equal("Kai-Fu Lee", person.GetProperty("nameEn").GetString());
        Assert.Equal("李开复", person.GetProperty("nameZh").GetString());
        Assert.Equal("Founder & CEO, 01.AI", person.GetProperty("context").GetString());
        Assert.Equal("/people/kai-fu-lee", person.GetProperty("href").GetString());
        var company = Group(r, "Company").GetProperty("items")[0];
        Assert.Equal("/companies/01-ai", company.GetProperty("href").GetString());
        Assert.False(company.GetProperty("isExternal").GetBoolean());
    }

    [Fact]
    public async Task The_limit_caps_each_group_and_says_when_there_is_more()
    {
        var r = (await Get("/api/v1/search?q=deepseek&limit=1")).Ok();
        var models = Group(r, "Model");
        Assert.Single(models.GetProperty("items").EnumerateArray());
        Assert.True(models.GetProperty("hasMore").GetBoolean());
        Assert.Equal("DeepSeek-R1", Group((await Get("/api/v1/search?q=deepseek%20r1")).Ok(), "Model")
            .GetProperty("items")[0].GetProperty("nameEn").GetString());
    }

    [Theory]
    [InlineData("/api/v1/search")]
    [InlineData("/api/v1/search?q=")]
    [InlineData("/api/v1/search?q=a")]
    public async Task A_missing_or_one_character_query_is_a_400_with_the_hint(string path)
    {
        var problem = (await Get(path)).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("q", problem.Json.GetProperty("parameter").GetString());
        Assert.Contains("at least two characters", problem.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_bad_limit_or_unknown_parameter_is_a_400_naming_it()
    {
        (await Get("/api/v1/search?q=kimi&limit=0")).Problem(HttpStatusCode.BadRequest, "limit");
        (await Get("/api/v1/search?q=kimi&limit=51")).Problem(HttpStatusCode.BadRequest, "limit");
        (await Get("/api/v1/search?q=kimi&kind=model")).Problem(HttpStatusCode.BadRequest, "kind");
    }
}
