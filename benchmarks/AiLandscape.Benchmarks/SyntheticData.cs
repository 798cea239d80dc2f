using System.Globalization;
using System.Text;
using Npgsql;

namespace AiLandscape.Benchmarks;

/// <summary>What one database holds after seeding (and, above 1×, the synthetic rows added to it).</summary>
public sealed record DataCounts(long Companies, long Investors, long Rounds, long Participations, long Sources,
    long Citations, long People, long Models, long Valuations, long Events, long AuditEntries)
{
    public static async Task<DataCounts> ReadAsync(NpgsqlConnection conn)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM companies), (SELECT count(*) FROM investors), (SELECT count(*) FROM funding_rounds),
                   (SELECT count(*) FROM participations), (SELECT count(*) FROM sources), (SELECT count(*) FROM citations),
                   (SELECT count(*) FROM people), (SELECT count(*) FROM model_releases), (SELECT count(*) FROM valuation_points),
                   (SELECT count(*) FROM company_events), (SELECT count(*) FROM audit_entries)
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return new DataCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5),
            r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Companies:N0} companies, {Investors:N0} investors, {Rounds:N0} rounds, {Participations:N0} participations, " +
        $"{Sources:N0} sources, {Citations:N0} citations, {People:N0} people, {Models:N0} models, " +
        $"{Valuations:N0} valuations, {Events:N0} events, {AuditEntries:N0} audit entries");
}

/// <summary>
/// Grows a seeded database to <c>scale</c> times the seed with rows that look like the real thing: distinct Chinese
/// names made of common characters with their pinyin, English names that share words ("AI", "Tech"), Chinese names
/// that share 智能 and 科技, rounds per company and rounds per investor both skewed (the seed's big investors end up
/// in thousands of rounds, most synthetic ones in a handful), citations with a few disputed amounts, and an audit
/// trail. Deterministic (<c>setseed</c>), all in SQL so that 2 million rounds take minutes, not hours.
/// </summary>
public static class SyntheticData
{
    // 64 common characters, each with its own pinyin, so that three of them make 262,144 distinct names and slugs.
    private static readonly (string Zh, string Py)[] Syllables =
    [
        ("月", "yue"), ("之", "zhi"), ("暗", "an"), ("面", "mian"), ("谱", "pu"), ("百", "bai"), ("川", "chuan"), ("阶", "jie"),
        ("星", "xing"), ("辰", "chen"), ("深", "shen"), ("度", "du"), ("求", "qiu"), ("索", "suo"), ("云", "yun"), ("天", "tian"),
        ("灵", "ling"), ("犀", "xi"), ("华", "hua"), ("海", "hai"), ("光", "guang"), ("明", "ming"), ("新", "xin"), ("元", "yuan"),
        ("创", "chuang"), ("思", "si"), ("维", "wei"), ("数", "shu"), ("图", "tu"), ("语", "yu"), ("动", "dong"), ("力", "li"),
        ("机", "ji"), ("人", "ren"), ("量", "liang"), ("子", "zi"), ("泰", "tai"), ("全", "quan"), ("医", "yi"), ("教", "jiao"),
        ("金", "jin"), ("融", "rong"), ("车", "che"), ("博", "bo"), ("万", "wan"), ("物", "wu"), ("峰", "feng"), ("乐", "le"),
        ("商", "shang"), ("汤", "tang"), ("旷", "kuang"), ("视", "shi"), ("科", "ke"), ("大", "da"), ("讯", "xun"), ("飞", "fei"),
        ("红", "hong"), ("杉", "shan"), ("高", "gao"), ("森", "sen"), ("启", "qi"), ("春", "chun"), ("北", "bei"), ("京", "jing"),
    ];

    private static string SyllableTable()
    {
        var sb = new StringBuilder("CREATE TEMP TABLE bench_syllables (n int PRIMARY KEY, zh text, py text, slug text);\n");
        sb.Append("INSERT INTO bench_syllables VALUES ");
        sb.AppendJoin(",\n", Syllables.Select((s, i) => string.Create(CultureInfo.InvariantCulture,
            $"({i}, '{s.Zh}', '{s.Py}', '{s.Py}')")));
        sb.Append(";\n");
        return sb.ToString();
    }

    public const int UnitCompanies = 20;
    public const double UnitRoundsPerCompany = 10;

    /// <summary>Adds (scale − 1) × the seed's rows to the database that <paramref name="conn"/> is open on.</summary>
    public static async Task GrowAsync(NpgsqlConnection conn, int scale, DataCounts seed, TextWriter log)
    {
        if (scale <= 1)
        {
            return;
        }
        var m = scale - 1;
        // Like the seed, the synthetic landscape was true before anyone used the app: known from the start (ADR 0032).
        await using (var known = new NpgsqlCommand("SET ailandscape.known_from = '-infinity'", conn))
        {
            await known.ExecuteNonQueryAsync();
        }
        Task<long> Next(string table) => ScalarAsync<long>(conn, $"SELECT coalesce(max(id), 0) + 1 FROM {table}");
        var firstCompany = await Next("companies");
        var firstInvestor = await Next("investors");
        var firstRound = await Next("funding_rounds");
        var firstSource = await Next("sources");
        var firstPerson = await Next("people");
        // The unit is the issue's: 1× = 20 companies with 10 rounds each (10,000× = 200,000 companies, 2 million
        // rounds); the shipped seed is smaller (7 companies, 27 rounds), so it sets the floor only.
        var companies = Math.Max(seed.Companies, UnitCompanies) * m;
        var roundsPerCompany = Math.Max(UnitRoundsPerCompany, (double)seed.Rounds / seed.Companies);
        var investors = companies / 2;
        var sources = (long)(companies * roundsPerCompany);
        var modelsPerCompany = Math.Max(0.5, (double)seed.Models / seed.Companies);
        var valuationsPerCompany = Math.Max(0.5, (double)seed.Valuations / seed.Companies);
        var eventsPerCompany = Math.Max(0.3, (double)seed.Events / seed.Companies);
        string F(double d) => d.ToString("0.###", CultureInfo.InvariantCulture);

        var steps = new (string Name, string Sql)[]
        {
            ("names", "SELECT setseed(0.42);\n" + SyllableTable() + """
                -- Slugs keep the syllables apart ('yu-an' is not 'yuan'). k walks 0..262143 in a scrambled order (odd multiplier, power-of-two modulus), so neighbours differ.
                CREATE TEMP TABLE bench_names AS
                SELECT i, a.zh || b.zh || c.zh AS zh, initcap(a.py || b.py) AS brand, a.py || b.py || c.py AS py,
                       a.slug || '-' || b.slug || '-' || c.slug || CASE WHEN i >= 262144 THEN (i / 262144)::text ELSE '' END AS slug
                FROM generate_series(0, 600000) i
                JOIN bench_syllables a ON a.n = ((i::bigint * 104729) % 262144) % 64
                JOIN bench_syllables b ON b.n = (((i::bigint * 104729) % 262144) / 64) % 64
                JOIN bench_syllables c ON c.n = (((i::bigint * 104729) % 262144) / 4096) % 64;
                CREATE UNIQUE INDEX ON bench_names (i);
                """),
            ("companies", $$"""
                INSERT INTO companies (slug, name_en, name_zh, pinyin, legal_names, aliases, founded_on, founded_precision,
                                       headquarters_city, status, sectors, groups,
                                       total_raised_is_floor, round_count, undisclosed_round_count, investor_count)
                SELECT n.slug || '-' || lower(s.en_slug),
                       n.brand || ' ' || s.en,
                       n.zh || s.zh,
                       initcap(n.py) || ' ' || initcap(s.py),
                       ARRAY[n.brand || ' (Beijing) Technology Co., Ltd.'],
                       CASE WHEN g.i % 7 = 0 THEN ARRAY[n.brand] ELSE '{}'::text[] END,
                       make_date(2008 + (g.i % 18), 1 + g.i % 12, 1), CASE WHEN g.i % 3 = 0 THEN 'Year' ELSE 'Month' END,
                       (ARRAY['Beijing','Shanghai','Shenzhen','Hangzhou','Guangzhou','Chengdu','Suzhou','Nanjing','Wuhan','Hong Kong'])[1 + (g.i * 7 % 97) % 10],
                       CASE WHEN g.i % 40 = 0 THEN 'Public' WHEN g.i % 55 = 0 THEN 'Acquired' WHEN g.i % 70 = 0 THEN 'Closed' ELSE 'Private' END,
                       ARRAY[(ARRAY['Foundation models','Computer vision','Speech','Robotics','Autonomous driving','AI chips','Healthcare AI','Enterprise software','Education','Fintech'])[1 + g.i % 10]],
                       CASE WHEN g.i % 500 = 0 THEN ARRAY['Six Tigers'] ELSE '{}'::text[] END,
                       false, 0, 0, 0
                FROM generate_series(1, {{companies}}) g(i)
                JOIN bench_names n ON n.i = g.i
                JOIN (VALUES (0,'AI','AI','智能','zhineng'),(1,'Tech','Tech','科技','keji'),(2,'Intelligence','Intelligence','智能科技','zhineng keji'),
                             (3,'Robotics','Robotics','机器人','jiqiren'),(4,'Technology','Technology','科技','keji'),(5,'AI Tech','AI-Tech','智能科技','zhineng keji'),
                             (6,'Data','Data','数据','shuju'),(7,'Labs','Labs','实验室','shiyanshi'),(8,'Vision','Vision','视觉','shijue'),
                             (9,'Cloud','Cloud','云','yun')) s(n, en, en_slug, zh, py) ON s.n = (g.i * 13 % 101) % 10;
                """),
            ("investors", $$"""
                INSERT INTO investors (slug, name_en, name_zh, aliases, kind, country)
                SELECT n.slug || '-' || lower(s.en), n.brand || ' ' || s.en, left(n.zh, 2) || s.zh, '{}',
                       (ARRAY['VentureCapital','VentureCapital','VentureCapital','CorporateStrategic','StateBackedFund','PrivateEquity','Angel','Other'])[1 + g.i % 8],
                       CASE WHEN g.i % 9 = 0 THEN 'US' WHEN g.i % 13 = 0 THEN 'SG' ELSE 'CN' END
                FROM generate_series(1, {{investors}}) g(i)
                JOIN bench_names n ON n.i = 300000 + g.i
                JOIN (VALUES (0,'Capital','资本'),(1,'Ventures','创投'),(2,'Partners','投资'),(3,'Investment','投资'),(4,'Fund','基金'),(5,'Holdings','控股')) s(n, en, zh)
                  ON s.n = g.i % 6
                ON CONFLICT DO NOTHING;
                """),
            ("rounds", $$"""
                -- Rounds per company: 1 + an exponential draw (mean {{F(roundsPerCompany)}}), so a few companies have dozens.
                INSERT INTO funding_rounds (company_id, announced_on, announced_precision, label_as_announced, stage, status,
                                            disclosure, currency, amount, amount_is_approximate, post_money_qualifier,
                                            post_money_is_estimate, is_unverified)
                SELECT c.id, least(c.founded_on + (r * 240 + (random() * 200)::int), DATE '2026-11-30'), 'Month',
                       st.label, st.stage, 'Completed',
                       CASE WHEN random() < 0.2 THEN 'Undisclosed' ELSE 'Disclosed' END AS disclosure,
                       cur.code, NULL, random() < 0.3, 'Exact', false, random() < 0.02
                FROM companies c
                CROSS JOIN LATERAL generate_series(1, 1 + floor(-ln(1 - random()) * {{F(roundsPerCompany - 1)}} + 0 * c.id)::int) r
                JOIN (VALUES (1,'天使轮','Angel'),(2,'Seed','Seed'),(3,'A轮','SeriesA'),(4,'Pre-B+','SeriesB'),(5,'Series B','SeriesB'),
                             (6,'C轮','SeriesC'),(7,'Series D','SeriesD'),(8,'战略融资','Strategic'),(9,'Series E','LaterStage'),(10,'Pre-IPO','PreIpo'))
                     st(n, label, stage) ON st.n = least(r, 10)
                JOIN (VALUES (0,'CNY'),(1,'CNY'),(2,'CNY'),(3,'USD'),(4,'USD'),(5,'HKD')) cur(n, code) ON cur.n = (c.id + r) % 6
                WHERE c.id >= {{firstCompany}};
                UPDATE funding_rounds
                SET amount = round(exp(ln(1000000) + random() * ln(2000)) / 100000) * 100000
                    * CASE WHEN currency = 'CNY' THEN 7 ELSE 1 END
                WHERE id >= {{firstRound}} AND disclosure = 'Disclosed';
                """),
            ("participations", $$"""
                -- Investors ranked: the seed's (busiest first), then the synthetic ones. A log-uniform draw of the rank
                -- puts a few investors in thousands of rounds and most in a handful.
                CREATE TEMP TABLE bench_investor_rank AS
                SELECT row_number() OVER (ORDER BY (i.id >= {{firstInvestor}}), count(p.id) DESC, i.id) - 1 AS rank, i.id
                FROM investors i LEFT JOIN participations p ON p.investor_id = i.id GROUP BY i.id;
                CREATE UNIQUE INDEX ON bench_investor_rank (rank);
                INSERT INTO participations (funding_round_id, investor_id, is_lead)
                SELECT DISTINCT ON (x.round_id, ir.id) x.round_id, ir.id, x.k = 1
                FROM (SELECT f.id AS round_id, k,
                             floor(exp(random() * ln((SELECT count(*) FROM bench_investor_rank)))) - 1 + 0 * f.id AS rank
                      FROM funding_rounds f CROSS JOIN LATERAL generate_series(1, 1 + (f.id % 4)) k
                      WHERE f.id >= {{firstRound}}) x
                JOIN bench_investor_rank ir ON ir.rank = x.rank
                ORDER BY x.round_id, ir.id, x.k;
                """),
            ("sources and citations", $$"""
                INSERT INTO sources (url, title, publisher, published_on, published_precision, published_on_is_inferred, kind, language)
                SELECT 'https://' || pub.host || '/p/' || (900000 + g.i), c.name_en || ' ' || pub.verb || ' ' || c.name_zh,
                       pub.name, DATE '2015-01-01' + (g.i * 37 % 4300), 'Day', false, pub.kind, pub.lang
                FROM generate_series(1, {{sources}}) g(i)
                JOIN companies c ON c.id = {{firstCompany}} + g.i % {{companies}}
                JOIN (VALUES (0,'36kr.com','36Kr','完成新一轮融资','Newspaper','zh'),(1,'latepost.com','LatePost','获得投资','Newspaper','zh'),
                             (2,'reuters.com','Reuters','raises funding','NewsAgency','en'),(3,'caixinglobal.com','Caixin','closes round','Newspaper','en'),
                             (4,'techcrunch.com','TechCrunch','raises','Newspaper','en'),(5,'qichacha.com','Qichacha','工商变更','Aggregator','zh'))
                     pub(n, host, verb, name, kind, lang) ON pub.n = g.i % 6;
                -- One citation per disclosed synthetic round; one round in fifty has a second source that disagrees.
                INSERT INTO citations (source_id, record_type, record_id, field, reported_value, is_unverified)
                SELECT {{firstSource}} + f.id % {{Math.Max(sources, 1)}}, 'FundingRound', f.id, 'Amount',
                       f.currency || ' ' || f.amount::bigint, false
                FROM funding_rounds f WHERE f.id >= {{firstRound}} AND f.amount IS NOT NULL;
                INSERT INTO citations (source_id, record_type, record_id, field, reported_value, is_unverified)
                SELECT {{firstSource}} + (f.id + 1) % {{Math.Max(sources, 1)}}, 'FundingRound', f.id, 'Amount',
                       f.currency || ' ' || (f.amount * 1.5)::bigint, false
                FROM funding_rounds f WHERE f.id >= {{firstRound}} AND f.amount IS NOT NULL AND f.id % 50 = 0;
                """),
            ("people, models, valuations, events", $$"""
                -- The pinyin of the Chinese name (surname and the first two syllables, as the brand spells them).
                INSERT INTO people (slug, name_en, name_zh, pinyin)
                SELECT 'p-' || n.slug, initcap(sn.py) || ' ' || initcap(n.py), sn.zh || left(n.zh, 2), initcap(sn.py) || ' ' || n.brand
                FROM generate_series(1, {{companies}}) g(i)
                JOIN bench_names n ON n.i = 100000 + g.i
                JOIN (VALUES (0,'王','wang'),(1,'李','li'),(2,'张','zhang'),(3,'刘','liu'),(4,'陈','chen'),(5,'杨','yang'),(6,'周','zhou'),(7,'吴','wu'))
                     sn(n, zh, py) ON sn.n = g.i % 8
                ON CONFLICT DO NOTHING;
                INSERT INTO company_roles (company_id, person_id, kind, title)
                SELECT c.id, p.id, 'Founder', 'Founder & CEO'
                FROM companies c JOIN people p ON p.id = {{firstPerson}} + (c.id - {{firstCompany}})
                WHERE c.id >= {{firstCompany}};
                INSERT INTO model_releases (company_id, name, released_on, precision, open_weights)
                SELECT c.id, split_part(c.name_en, ' ', 1) || '-' || (ARRAY['LM','VL','Coder','Chat','Audio'])[1 + k % 5] || '-' || k,
                       least(DATE '2020-01-01' + (c.id * 53 + k * 190) % 2500, DATE '2026-11-30'), 'Month', k % 2 = 1
                FROM companies c CROSS JOIN LATERAL generate_series(1, floor(random() * {{F(modelsPerCompany * 2)}} + 0 * c.id)::int) k
                WHERE c.id >= {{firstCompany}};
                INSERT INTO valuation_points (company_id, valued_on, precision, amount, currency, qualifier, basis, is_unverified)
                SELECT c.id, least(DATE '2018-01-01' + (c.id * 31 + k * 300) % 3000, DATE '2026-11-30'), 'Month',
                       round(exp(ln(20000000) + random() * ln(500))), 'USD', 'Exact', 'PostMoney', false
                FROM companies c CROSS JOIN LATERAL generate_series(1, floor(random() * {{F(valuationsPerCompany * 2)}} + 0 * c.id)::int) k
                WHERE c.id >= {{firstCompany}};
                INSERT INTO company_events (company_id, kind, occurred_on, precision, title)
                SELECT c.id, (ARRAY['Pivot','Partnership','Leadership','Regulatory'])[1 + c.id % 4], DATE '2019-01-01' + c.id % 2800, 'Month',
                       split_part(c.name_en, ' ', 1) || ' shifts focus'
                FROM companies c WHERE c.id >= {{firstCompany}} AND random() < {{F(Math.Min(1, eventsPerCompany))}};
                """),
            ("audit trail", $$"""
                -- Every synthetic round as if an editor had entered it, and one later correction in ten.
                INSERT INTO audit_entries (at, user_name, action, record_type, record_id, changes, change_set_id, company_id)
                SELECT TIMESTAMPTZ '2024-01-01' + f.id * interval '1 minute', (ARRAY['ana@example.com','bo@example.com','chen@example.com'])[1 + f.id % 3],
                       'Create', 'FundingRound', f.id,
                       jsonb_build_array(jsonb_build_object('field', 'Amount', 'old', NULL, 'new', f.amount)), gen_random_uuid(), f.company_id
                FROM funding_rounds f WHERE f.id >= {{firstRound}};
                INSERT INTO audit_entries (at, user_name, action, record_type, record_id, changes, change_set_id, company_id)
                SELECT TIMESTAMPTZ '2025-06-01' + f.id * interval '1 minute', 'ana@example.com', 'Update', 'FundingRound', f.id,
                       jsonb_build_array(jsonb_build_object('field', 'Amount', 'old', 1000, 'new', f.amount)), gen_random_uuid(), f.company_id
                FROM funding_rounds f WHERE f.id >= {{firstRound}} AND f.id % 10 = 0 AND f.amount IS NOT NULL;
                DROP TABLE bench_names; DROP TABLE bench_syllables; DROP TABLE bench_investor_rank;
                ANALYZE;
                """),
        };
        foreach (var (name, sql) in steps)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
            try
            {
                await cmd.ExecuteNonQueryAsync();
            }
            catch (PostgresException e)
            {
                throw new InvalidOperationException($"Synthetic data step '{name}' failed: {e.MessageText} {e.Detail}", e);
            }
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {scale}x: {name} in {sw.Elapsed.TotalSeconds:N1} s"));
        }
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }
}
