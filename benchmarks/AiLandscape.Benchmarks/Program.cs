// Page-query benchmark at a thousand times the seed: builds a throwaway PostgreSQL cluster with the seed data plus
// synthetic companies, investors and rounds, then times the queries behind each page and prints the figures.
//   dotnet run -c Release --project benchmarks/AiLandscape.Benchmarks -- [companies] [roundsPerCompany] [runs] [only]
// ("only": run just the queries whose name contains it, e.g. "asOf")
using System.Diagnostics;
using System.Globalization;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Compare;
using AiLandscape.Web.Features.Dashboard;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Search;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

var companies = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var roundsPerCompany = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
var only = args.Length > 3 ? args[3] : "";

var root = Path.Combine(Path.GetTempPath(), "ailandscape-bench-" + Guid.NewGuid().ToString("N"));
await using var cluster = await EmbeddedPostgres.StartAsync(
    new EmbeddedPostgresOptions { DataDirectory = root, Database = "bench", Throwaway = true }, NullLogger.Instance);

var services = new ServiceCollection()
    .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore.Database.Command", Environment.GetEnvironmentVariable("BENCH_SQL") is null ? LogLevel.Warning : LogLevel.Information).AddSimpleConsole())
    .AddDbContextFactory<AppDbContext>(o => o.UseNpgsql(cluster.ConnectionString).UseSnakeCaseNamingConvention()
        .AddInterceptors(new AsOfSearchPathInterceptor()))
    .BuildServiceProvider();
await services.MigrateAndSeedAsync();

var setup = Stopwatch.StartNew();
await using (var conn = new NpgsqlConnection(cluster.ConnectionString))
{
    await conn.OpenAsync();
    var sql = $"""
        INSERT INTO investors (slug, name_en, name_zh, aliases, kind, country)
        SELECT 'bench-investor-' || i, 'Bench Investor ' || i, '测试投资' || i, '{"{}"}', 'VentureCapital', 'CN'
        FROM generate_series(1, {Math.Max(companies / 10, 10)}) i;

        INSERT INTO companies (slug, name_en, name_zh, pinyin, legal_names, aliases, founded_on, founded_precision,
                               headquarters_city, status, sectors, groups,
                               total_raised_is_floor, round_count, undisclosed_round_count, investor_count)
        SELECT 'bench-' || i, 'Bench Company ' || i, '测试公司' || i, 'ceshi gongsi ' || i, '{"{}"}', '{"{}"}',
               make_date(2000 + i % 25, 1 + i % 12, 1), 'Month',
               (ARRAY['Beijing','Shanghai','Shenzhen','Hangzhou'])[1 + i % 4], 'Private',
               ARRAY['Foundation models'], '{"{}"}', false, 0, 0, 0
        FROM generate_series(1, {companies}) i;

        INSERT INTO funding_rounds (company_id, announced_on, announced_precision, label_as_announced, stage, status,
                                    disclosure, currency, amount, amount_is_approximate, post_money_qualifier,
                                    post_money_is_estimate, is_unverified)
        SELECT c.id, make_date(2019 + r % 7, 1 + r % 12, 1), 'Month', 'Series ' || r, 'SeriesA', 'Completed',
               CASE WHEN r % 5 = 0 THEN 'Undisclosed' ELSE 'Disclosed' END,
               CASE WHEN r % 2 = 0 THEN 'CNY' ELSE 'USD' END,
               CASE WHEN r % 5 = 0 THEN NULL ELSE 1000000 * r END, false, 'Exact', false, false
        FROM companies c CROSS JOIN generate_series(1, {roundsPerCompany}) r
        WHERE c.slug LIKE 'bench-%';

        INSERT INTO participations (funding_round_id, investor_id, is_lead)
        SELECT f.id, i.id, k = 1
        FROM funding_rounds f
        CROSS JOIN generate_series(1, 2) k
        JOIN investors i ON i.slug = 'bench-investor-' || (1 + (f.id * 7 + k * 13) % {Math.Max(companies / 10, 10)})
        WHERE f.label_as_announced LIKE 'Series %' AND f.company_id IN (SELECT id FROM companies WHERE slug LIKE 'bench-%');

        INSERT INTO sources (url, title, publisher, published_on, published_precision, published_on_is_inferred, kind, language)
        SELECT 'https://news.example.com/2025/' || i, 'Bench Company ' || (1 + i % {companies}) || ' closes round ' || i,
               (ARRAY['36Kr','LatePost','Reuters','Caixin'])[1 + i % 4], make_date(2019 + i % 7, 1 + i % 12, 1 + i % 28),
               'Day', false, 'Newspaper', 'en'
        FROM generate_series(1, {companies * 5}) i;

        -- One founder per synthetic company and two model releases each (their search_text comes from the triggers).
        INSERT INTO people (slug, name_en, name_zh)
        SELECT 'bench-person-' || i, 'Bench Person ' || i, '测试人' || i FROM generate_series(1, {companies}) i;

        INSERT INTO company_roles (company_id, person_id, kind, title)
        SELECT c.id, p.id, 'Founder', 'Founder'
        FROM companies c JOIN people p ON p.slug = 'bench-person-' || substr(c.slug, 7)
        WHERE c.slug LIKE 'bench-%';

        INSERT INTO model_releases (company_id, name, released_on, precision, open_weights)
        SELECT c.id, 'BenchLM-' || c.id || '-' || k, make_date(2023 + k, 1 + c.id % 12, 1), 'Month', k = 1
        FROM companies c CROSS JOIN generate_series(1, 2) k WHERE c.slug LIKE 'bench-%';

        INSERT INTO valuation_points (company_id, valued_on, precision, amount, currency, qualifier, basis, is_unverified)
        SELECT c.id, make_date(2024, 1 + c.id % 12, 1), 'Month', 100000000 + c.id, 'USD', 'Exact', 'PostMoney', false
        FROM companies c WHERE c.slug LIKE 'bench-%';
        ANALYZE;
        """;
    await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
    await cmd.ExecuteNonQueryAsync();
}
var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
await using (var db = await factory.CreateDbContextAsync())
{
    db.Database.SetCommandTimeout(600);
    await CompanyFiguresUpdater.RefreshAsync(db, companyIds: null);
}
// Edits recorded today for a tenth of the rounds: what a knowledge-time view of yesterday has to roll back.
await using (var conn = new NpgsqlConnection(cluster.ConnectionString))
{
    await conn.OpenAsync();
    await using var cmd = new NpgsqlCommand("""
        INSERT INTO audit_entries (at, user_name, action, record_type, record_id, changes, change_set_id, company_id)
        SELECT now(), 'bench', 'Update', 'FundingRound', f.id,
               jsonb_build_array(jsonb_build_object('field', 'Amount', 'old', 1000, 'new', f.amount)), gen_random_uuid(), f.company_id
        FROM funding_rounds f WHERE f.id % 10 = 0 AND f.amount IS NOT NULL;
        ANALYZE audit_entries;
        """, conn) { CommandTimeout = 600 };
    await cmd.ExecuteNonQueryAsync();
}
Console.WriteLine($"Data: {companies:N0} companies, {companies * roundsPerCompany:N0} rounds, {companies * roundsPerCompany * 2:N0} participations; built in {setup.Elapsed.TotalSeconds:N1} s");

var companyService = new CompanyService(factory);
var sourceList = new SourceEditService(factory, null!); // reads only: the writer is never used
async Task SourceSearch(string text)
{
    await using var db = await factory.CreateDbContextAsync();
    await RecordSources.SearchAsync(db, text, CancellationToken.None);
}
var search = new SearchService(factory);
var compare = new CompareService(factory);
var dashboard = new DashboardService(factory);
var sample = $"bench-{companies / 2}";
var asOfContexts = new AsOfContexts(factory, new SharedAsOfCopies(factory, NullLogger<SharedAsOfCopies>.Instance));
var eventTime = new AsOfView(new DateOnly(2023, 1, 1), AsOfMode.EventTime);
var knowledgeTime = new AsOfView(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1), AsOfMode.KnowledgeTime);
var tigersThen = await compare.AsOfAsync(asOfContexts, knowledgeTime, []);
var freshDays = 0;

var cases = new (string Name, Func<Task> Run)[]
{
    ("home list (page 1)", () => companyService.ListAsync(0, 25)),
    ("/companies search 'ceshi gongsi 1234'", () => companyService.SearchAsync(new CompanyQuery { Search = "ceshi gongsi 1234" })),
    ("/companies search typo 'bench compny'", () => companyService.SearchAsync(new CompanyQuery { Search = "bench compny" })),
    ("/companies search Chinese '测试公司777'", () => companyService.SearchAsync(new CompanyQuery { Search = "测试公司777" })),
    ("/companies facet+sort raised desc, page 40", () => companyService.SearchAsync(new CompanyQuery { City = "Shanghai", Sort = CompanySort.TotalRaised, Descending = true, Page = 40 })),
    ($"/companies/{sample} profile", () => companyService.GetProfileAsync(sample)),
    // The app bar's box (5 per kind) and the /search page (20 per kind): five commands, one per kind.
    ("search box Latin 'bench company 1234'", () => search.SearchAsync("bench company 1234")),
    ("search box pinyin 'ceshi gongsi 777'", () => search.SearchAsync("ceshi gongsi 777")),
    ("search box typo 'bench compny' (every company)", () => search.SearchAsync("bench compny")),
    ("search box Chinese '测试公司777'", () => search.SearchAsync("测试公司777")),
    ("search box person 'kaifu lee'", () => search.SearchAsync("kaifu lee")),
    ("search box model 'deepseek r1'", () => search.SearchAsync("deepseek r1")),
    ("search box two letters 'ai'", () => search.SearchAsync("ai")),
    ("/search page typo 'bench compny'", () => search.SearchAsync("bench compny", SearchService.PageLimit)),
    ("/companies/moonshot-ai profile", () => companyService.GetProfileAsync("moonshot-ai")),
    ("/compare (Six Tigers)", () => compare.CompareAsync([], RateMode.FigureDate)),
    ("/ dashboard panels", () => dashboard.GetAsync()),
    ("/sources list, page 40", () => sourceList.ListAsync(new SourceListQuery(Page: 40))),
    ("/sources search 'closes round 77777'", () => sourceList.ListAsync(new SourceListQuery("closes round 77777"))),
    ("/sources search 'Caixin', page 10", () => sourceList.ListAsync(new SourceListQuery("Caixin", Page: 10))),
    ("source picker 'news.example.com/2025/4242'", () => SourceSearch("news.example.com/2025/4242")),
    ($"/companies/{sample}?asOf (event time)", () => new CompanyService(asOfContexts.For(eventTime, [sample])).GetProfileAsync(sample)),
    ($"/companies/{sample}?asOf (knowledge time)", () => new CompanyService(asOfContexts.For(knowledgeTime, [sample])).GetProfileAsync(sample)),
    ("/compare?asOf (Six Tigers, knowledge time)", () => tigersThen.CompareAsync([], RateMode.FigureDate)),
    // A day nobody viewed since the last edit builds the shared copy; later views of it (any user, any page) read it.
    ("/?asOf dashboard, first view (event time)", () => new DashboardService(asOfContexts.For(eventTime with { Date = eventTime.Date.AddDays(++freshDays) })).GetAsync()),
    ("/?asOf dashboard, first view (knowledge time)", () => new DashboardService(asOfContexts.For(knowledgeTime with { Date = knowledgeTime.Date.AddDays(-++freshDays) })).GetAsync()),
    ("/?asOf dashboard, copy built (event time)", () => new DashboardService(asOfContexts.For(eventTime)).GetAsync()),
    ("/?asOf dashboard, copy built (knowledge time)", () => new DashboardService(asOfContexts.For(knowledgeTime)).GetAsync()),
    ("/?asOf home list page 2, copy built (event time)", () => new CompanyService(asOfContexts.For(eventTime)).ListAsync(1, 25)),
};

Console.WriteLine($"{"query",-48} {"median ms",10} {"p95 ms",10} {"max ms",10}");
foreach (var (name, run) in cases.Where(c => c.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
{
    await run(); // warm up: plan caches, JIT
    var times = new List<double>();
    // A first whole-landscape as-of view copies every company's records: a few runs tell its cost.
    var n = name.Contains("first view", StringComparison.Ordinal) ? Math.Min(runs, 3) : runs;
    for (var i = 0; i < n; i++)
    {
        var sw = Stopwatch.StartNew();
        await run();
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine($"{name,-48} {times[times.Count / 2],10:N1} {times[(int)(times.Count * 0.95)],10:N1} {times[^1],10:N1}");
}
