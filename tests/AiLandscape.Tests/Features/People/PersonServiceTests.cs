using AiLandscape.Web.Data;
using AiLandscape.Web.Features.People;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.People;

/// <summary>The /people list and the person page against the seeded dataset in a real PostgreSQL.</summary>
public class PersonServiceTests : IAsyncLifetime
{
    /// <summary>People in Data/Seed/people.json.</summary>
    private const int SeededPeople = 16;

    private readonly SqlCommandCounter _counter = new();
    private ServiceProvider _services = null!;
    private PersonService _service = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("person_service"), _counter);
        _service = new PersonService(_services.GetRequiredService<IDbContextFactory<AppDbContext>>());
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private AppDbContext Db() => _services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();

    [Fact]
    public async Task A_founders_page_has_both_names_the_roles_at_the_company_and_their_sources()
    {
        _counter.Reset();
        var p = await _service.GetProfileAsync("kai-fu-lee");
        Assert.Equal(3, _counter.Count); // person with roles, investor records, citations: whatever the number of roles

        Assert.NotNull(p);
        Assert.Equal("Kai-Fu Lee", p.NameEn);
        Assert.Equal("李开复", p.NameZh);
        Assert.Equal("Li Kaifu", p.Pinyin);
        Assert.Equal("Li Kaifu", p.PinyinApart); // shown apart: not what the English name says
        Assert.Contains("Sinovation Ventures", p.Bio);
        var company = Assert.Single(p.Companies);
        Assert.Equal(("01-ai", "零一万物"), (company.Slug, company.NameZh));
        Assert.Equal([PersonRoleKind.Founder, PersonRoleKind.Ceo], company.Roles.Select(r => r.Kind));
        Assert.All(company.Roles, r => Assert.False(r.IsEarlier));

        // The founder role is backed by A1 and the undated article; the bio by A1; the page lists both sources.
        var founder = company.Roles[0];
        Assert.Equal(["A1", "ARTICLE"], p.CitationIndex.For(RecordType.CompanyRole, founder.Id).Select(c => c.SourceKey).Order());
        Assert.Equal(["A1"], p.PersonSources.Select(c => c.SourceKey));
        Assert.Equal(["A1", "ARTICLE"], p.Citations.Select(c => c.SourceKey).Distinct().Order());
    }

    [Fact]
    public async Task Roles_across_companies_come_with_their_dates_current_ones_first()
    {
        await using (var db = Db())
        {
            var person = new Person { Slug = "test-across", NameEn = "Test Across", NameZh = "测试" };
            db.People.Add(person);
            var stepfun = await db.Companies.SingleAsync(c => c.Slug == "stepfun");
            var minimax = await db.Companies.SingleAsync(c => c.Slug == "minimax");
            db.CompanyRoles.AddRange(
                new CompanyRole { Company = minimax, Person = person, Kind = PersonRoleKind.Executive, Title = "Chief scientist",
                    StartedOn = new DateOnly(2021, 3, 1), EndedOn = new DateOnly(2024, 6, 30) },
                new CompanyRole { Company = stepfun, Person = person, Kind = PersonRoleKind.Ceo,
                    StartedOn = new DateOnly(2024, 7, 1) });
            await db.SaveChangesAsync();
        }

        var p = await _service.GetProfileAsync("TEST-ACROSS");
        Assert.NotNull(p);
        Assert.Equal(["stepfun", "minimax"], p.Companies.Select(c => c.Slug)); // current role first, the earlier one after
        var ceo = Assert.Single(p.Companies[0].Roles);
        Assert.Equal((PersonRoleKind.Ceo, false), (ceo.Kind, ceo.IsEarlier));
        Assert.Equal("since 1 Jul 2024", PersonLabels.Dates(ceo.StartedOn, ceo.EndedOn));
        var earlier = Assert.Single(p.Companies[1].Roles);
        Assert.Equal(("Chief scientist", true), (PersonLabels.Role(earlier.Kind, earlier.Title), earlier.IsEarlier));
        Assert.Equal("1 Mar 2021 – 30 Jun 2024", PersonLabels.Dates(earlier.StartedOn, earlier.EndedOn));
        Assert.Empty(p.Citations); // no source recorded: the page says so instead of inventing one

        var row = Assert.Single((await _service.ListAsync(new PersonQuery { Search = "test across" })).Items);
        Assert.Equal(["StepFun", "MiniMax"], row.Roles.Select(r => r.CompanyNameEn));
    }

    [Theory]
    [InlineData("Kai-Fu Lee", "Li Kaifu", "Li Kaifu")]
    [InlineData("Liang Wenfeng", "Liang Wenfeng", null)]
    [InlineData("Liang Wen-Feng", "liang wenfeng", null)] // the same letters
    [InlineData("Wenfeng Liang", "Liang Wenfeng", "Liang Wenfeng")] // the surname's place is news
    [InlineData("Liang Wenfeng", "Liáng Wénfēng", "Liáng Wénfēng")] // so are tones
    [InlineData("Liang Wenfeng", null, null)]
    public void The_pinyin_is_shown_apart_only_when_it_is_not_the_english_name(string nameEn, string? pinyin, string? apart) =>
        Assert.Equal(apart, PersonNames.PinyinApart(nameEn, pinyin));

    [Fact]
    public async Task Every_seeded_person_with_a_chinese_name_has_their_pinyin()
    {
        await using var db = Db();
        var people = await db.People.Where(p => p.NameZh != null).Select(p => new { p.Slug, p.NameZh, p.Pinyin }).ToListAsync();
        Assert.Equal(SeededPeople, people.Count);
        Assert.All(people, p => Assert.False(string.IsNullOrWhiteSpace(p.Pinyin), $"{p.Slug} ({p.NameZh}) has no pinyin"));
        Assert.Equal(("杨植麟", "Yang Zhilin"), people.Where(p => p.Slug == "yang-zhilin").Select(p => (p.NameZh!, p.Pinyin!)).Single());
        Assert.Equal(("梁文锋", "Liang Wenfeng"), people.Where(p => p.Slug == "liang-wenfeng").Select(p => (p.NameZh!, p.Pinyin!)).Single());
    }

    [Fact]
    public async Task An_individual_investor_links_to_their_investor_record()
    {
        var p = await _service.GetProfileAsync("wang-huiwen");
        Assert.NotNull(p);
        Assert.Empty(p.Companies);
        Assert.Equal("wang-huiwen", Assert.Single(p.Investors).Slug);
        Assert.Null(await _service.GetProfileAsync("no-such-person"));

        // And back: the investor profile names the person it is, for its link to the person page.
        var investors = new AiLandscape.Web.Features.Investors.InvestorService(
            _services.GetRequiredService<IDbContextFactory<AppDbContext>>());
        var investor = await investors.GetProfileAsync("wang-huiwen");
        Assert.Equal(("wang-huiwen", "王慧文"), (investor!.Person!.Slug, investor.Person.NameZh));
        Assert.Null((await investors.GetProfileAsync("tencent"))!.Person);
    }

    [Theory]
    [InlineData("kai-fu lee", "kai-fu-lee")]
    [InlineData("kaifu lee", "kai-fu-lee")] // without the hyphen
    [InlineData("Kái-Fu", "kai-fu-lee")] // accents folded
    [InlineData("李开复", "kai-fu-lee")]
    [InlineData("Yang Zhilin", "yang-zhilin")]
    [InlineData("杨植麟", "yang-zhilin")]
    [InlineData("li kaifu", "kai-fu-lee")] // the pinyin
    [InlineData("likaifu", "kai-fu-lee")] // without its space
    [InlineData("li-kaifu", "kai-fu-lee")]
    public async Task The_name_filter_finds_people_by_english_or_chinese_name_or_pinyin(string search, string slug)
    {
        var found = await _service.ListAsync(new PersonQuery { Search = search });
        Assert.Equal(slug, Assert.Single(found.Items).Slug);
        Assert.Equal(1, found.TotalCount);
    }

    [Fact]
    public async Task The_list_is_sorted_by_name_paged_in_sql_and_counts_only_matches()
    {
        _counter.Reset();
        var first = await _service.ListAsync(new PersonQuery { PageSize = 5 });
        Assert.Equal(2, _counter.Count); // count and page, roles included
        Assert.True(first.TotalCount >= SeededPeople);
        Assert.Equal(5, first.Items.Count);
        Assert.Equal(first.Items.Select(i => i.NameEn).Order(StringComparer.Ordinal), first.Items.Select(i => i.NameEn));
        Assert.Equal("Jiang Daxin", first.Items[0].NameEn);

        var all = new List<PersonListItem>();
        for (var page = 0; page * 5 < first.TotalCount; page++)
        {
            all.AddRange((await _service.ListAsync(new PersonQuery { PageSize = 5, Page = page })).Items);
        }
        Assert.Equal(first.TotalCount, all.DistinctBy(i => i.Id).Count()); // pages neither overlap nor skip

        var desc = await _service.ListAsync(new PersonQuery { PageSize = 1, Descending = true });
        Assert.Equal(all[^1].Slug, Assert.Single(desc.Items).Slug);

        var kaiFu = all.Single(i => i.Slug == "kai-fu-lee");
        Assert.Equal(["Founder", "CEO"], kaiFu.Roles.Select(r => PersonLabels.Role(r.Kind, r.Title)));
        Assert.Equal(("Li Kaifu", "Li Kaifu"), (kaiFu.Pinyin, kaiFu.PinyinApart));
        var liang = all.Single(i => i.Slug == "liang-wenfeng");
        Assert.Equal(("Liang Wenfeng", null), (liang.Pinyin, liang.PinyinApart)); // the English name is the pinyin already
        Assert.Equal(0, (await _service.ListAsync(new PersonQuery { Search = "zzqqxx" })).TotalCount);
        Assert.Equal(0, (await _service.ListAsync(new PersonQuery { Search = "100%" })).TotalCount); // LIKE escaped
    }
}
