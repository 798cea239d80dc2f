using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Search;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Search;

/// <summary>The one search behind the app bar's box, /search and /api/v1/search, on the seed data in real PostgreSQL.</summary>
public class SearchServiceTests : IAsyncLifetime
{
    private readonly SqlCommandCounter _counter = new();
    private ServiceProvider _services = null!;
    private SearchService _service = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("search"), _counter);
        _service = new SearchService(_services.GetRequiredService<IDbContextFactory<AppDbContext>>());
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private static IReadOnlyList<SearchHit> Group(SearchResults r, SearchKind kind) =>
        r.Groups.Single(g => g.Kind == kind).Hits;

    [Theory]
    [InlineData("Kai-Fu Lee")]
    [InlineData("李开复")]
    [InlineData("kaifu lee")]
    [InlineData("kai fu lee")]
    [InlineData("KAI-FU")]
    [InlineData("li kaifu")] // the pinyin of 李开复
    [InlineData("Li Kaifu")]
    [InlineData("likaifu")]
    [InlineData("Lǐ Kāifù")] // tone marks folded like accents
    public async Task A_founders_name_finds_the_person_and_their_company(string text)
    {
        var r = await _service.SearchAsync(text);
        Assert.Null(r.Hint);
        var person = Group(r, SearchKind.Person)[0];
        Assert.Equal(("Kai-Fu Lee", "李开复", "/people/kai-fu-lee"), (person.NameEn, person.NameZh, person.Href));
        Assert.Equal("Founder & CEO, 01.AI", person.Context);
        var company = Group(r, SearchKind.Company)[0];
        Assert.Equal(("01.AI", "零一万物", "/companies/01-ai"), (company.NameEn, company.NameZh, company.Href));
        Assert.Equal("Kai-Fu Lee: Founder & CEO", company.Context); // why a company came up for a person's name
    }

    [Theory]
    [InlineData("Yang Zhilin")]
    [InlineData("杨植麟")]
    [InlineData("yang zhilin")]
    [InlineData("yangzhilin")]
    public async Task Yang_Zhilin_finds_Moonshot_AI(string text)
    {
        var r = await _service.SearchAsync(text);
        Assert.Equal("/companies/moonshot-ai", Group(r, SearchKind.Company)[0].Href);
        var person = Group(r, SearchKind.Person)[0];
        Assert.Equal(("Yang Zhilin", "杨植麟"), (person.NameEn, person.NameZh));
        Assert.Contains("Moonshot AI", person.Context);
    }

    [Theory]
    [InlineData("deepseek r1")]
    [InlineData("DeepSeek-R1")]
    [InlineData("deepseekr1")]
    [InlineData("deepsek r1")] // typo
    public async Task A_model_is_found_by_its_name_with_or_without_hyphens(string text)
    {
        var model = Group(await _service.SearchAsync(text), SearchKind.Model)[0];
        Assert.Equal("DeepSeek-R1", model.NameEn);
        Assert.StartsWith("/companies/deepseek#model-", model.Href);
        // The company (both names) and the release month.
        Assert.StartsWith("DeepSeek (深度求索) · ", model.Context);
        Assert.Matches(@"· [A-Z][a-z]{2} 2025", model.Context);
    }

    [Fact]
    public async Task Exact_names_come_first()
    {
        Assert.Equal("Kimi K2", Group(await _service.SearchAsync("kimi k2"), SearchKind.Model)[0].NameEn);
        Assert.Equal("Kimi K2.5", Group(await _service.SearchAsync("Kimi K2.5"), SearchKind.Model)[0].NameEn);
        var alibaba = Group(await _service.SearchAsync("alibaba"), SearchKind.Investor);
        Assert.Equal(["Alibaba", "Alibaba Cloud"], alibaba.Select(h => h.NameEn).Take(2));
        Assert.Equal("Alibaba Cloud", Group(await _service.SearchAsync("alibaba cloud"), SearchKind.Investor)[0].NameEn);
        Assert.Equal("/companies/minimax", Group(await _service.SearchAsync("MiniMax"), SearchKind.Company)[0].Href);
        Assert.Equal("/companies/moonshot-ai", Group(await _service.SearchAsync("月之暗面"), SearchKind.Company)[0].Href);
        Assert.Equal("/companies/deepseek", Group(await _service.SearchAsync("deepsek"), SearchKind.Company)[0].Href);
    }

    [Theory]
    [InlineData("baichaun", "/companies/baichuan")] // two letters swapped: trigram similarity 0.56
    [InlineData("zhpu", "/companies/zhipu-ai")] // a letter left out: one letter from "zhipu"
    [InlineData("01ai", "/companies/01-ai")] // the name without its dot
    [InlineData("moonshoot", "/companies/moonshot-ai")]
    public async Task Typos_find_the_company_first(string text, string href)
    {
        var r = await _service.SearchAsync(text);
        Assert.Equal(href, Group(r, SearchKind.Company)[0].Href);
        Assert.Empty(r.Suggestions); // something was found: no "did you mean"
    }

    [Fact]
    public async Task When_nothing_matches_the_nearest_names_are_suggested_and_nonsense_gets_none()
    {
        var r = await _service.SearchAsync("zhpux");
        Assert.True(r.IsEmpty);
        Assert.Equal("Zhipu AI", r.Suggestions[0]);
        Assert.InRange(r.Suggestions.Count, 1, 3);
        // Each suggestion finds something when searched for.
        foreach (var name in r.Suggestions)
        {
            Assert.False((await _service.SearchAsync(name)).IsEmpty, name);
        }
        Assert.Empty((await _service.SearchAsync("qwxzv")).Suggestions);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a")]
    [InlineData("李")]
    public async Task An_empty_or_one_character_query_gives_a_hint_not_every_row(string? text)
    {
        _counter.Reset();
        var r = await _service.SearchAsync(text);
        Assert.Equal(SearchService.ShortQueryHint, r.Hint);
        Assert.Empty(r.Groups);
        Assert.Equal(0, _counter.Count); // nothing was asked of the database
    }

    [Fact]
    public async Task Hits_are_grouped_by_kind_with_a_limit_per_group_and_a_fixed_number_of_sql_commands()
    {
        _counter.Reset();
        var few = await _service.SearchAsync("qwertyuiop");
        var fewCommands = _counter.Count;
        Assert.True(few.IsEmpty);
        Assert.Equal(5, few.Groups.Count);

        _counter.Reset();
        var many = await _service.SearchAsync("ai", perGroup: 2);
        Assert.True(_counter.Count <= fewCommands, $"{_counter.Count} commands for 'ai', {fewCommands} for a long query");
        Assert.Equal([SearchKind.Company, SearchKind.Investor, SearchKind.Person, SearchKind.Model, SearchKind.Source],
            many.Groups.Select(g => g.Kind));
        var companies = many.Groups[0];
        Assert.Equal(2, companies.Hits.Count);
        Assert.True(companies.HasMore);
        Assert.All(many.Groups, g => Assert.True(g.Hits.Count <= 2));
        // Two letters are in most titles and links, and no index finds them: no sources for such a query.
        Assert.Empty(many.Groups.Single(g => g.Kind == SearchKind.Source).Hits);

        // LIKE wildcards in the query are text, not patterns.
        Assert.True((await _service.SearchAsync("%_")).IsEmpty);
    }

    [Fact]
    public async Task Sources_are_found_by_title_and_link_to_the_article()
    {
        var source = Group(await _service.SearchAsync("hits unicorn status"), SearchKind.Source)[0];
        Assert.StartsWith("Kai-Fu Lee's AI firm 01.AI hits unicorn status", source.NameEn);
        Assert.StartsWith("https://", source.Href);
        Assert.True(source.IsExternal);
    }

    [Fact]
    public async Task A_person_added_later_is_found_at_once_and_finds_their_company()
    {
        await using (var db = await _services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            var stepfun = await db.Companies.SingleAsync(c => c.Slug == "stepfun");
            db.People.Add(new Person
            {
                Slug = "zhu-yibo", NameEn = "Zhu Yibo", NameZh = "朱亦博",
                Roles = [new CompanyRole { CompanyId = stepfun.Id, Kind = PersonRoleKind.CoFounder, Title = "Co-founder" }],
            });
            await db.SaveChangesAsync();
        }
        var r = await _service.SearchAsync("朱亦博");
        Assert.Equal("Co-founder, StepFun", Group(r, SearchKind.Person)[0].Context);
        Assert.Equal("/companies/stepfun", Group(r, SearchKind.Company)[0].Href);
    }
}
