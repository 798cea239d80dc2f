using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Investors;
using AiLandscape.Web.Features.People;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Search;

/// <summary>
/// The one search behind the app bar's box, the /search page and <c>GET /api/v1/search</c>: companies, investors,
/// people, model releases and sources, matched by <see cref="TextSearch"/> (bilingual, pinyin, accent- and
/// typo-tolerant). A person also finds their companies ("李开复" finds 01.AI). Five SQL commands per query, one per
/// kind, whatever the data size; each takes at most <c>perGroup</c> rows (and one more to tell there are more).
/// </summary>
public sealed class SearchService([FromKeyedServices(ReplicaReads.Key)] IDbContextFactory<AppDbContext> factory)
{
    public const int BoxLimit = 5;
    public const int PageLimit = 20;
    public const int MaxLimit = 50;
    public const int MinQueryLength = 2;

    public const string ShortQueryHint =
        "Type at least two characters of a name: a company, investor, person or model, in English, Chinese or pinyin.";

    /// <summary>
    /// Each group ranks at most this many records containing the query (the first by id), plus as many whose
    /// English name starts with it, so that a query found in most of a large table still answers quickly and the
    /// names that start with the query are never lost to the cap. Ranking every match was the directory's known gap
    /// (ADR 0006: seconds for such a query).
    /// </summary>
    private const int CandidateCap = 200;

    /// <summary>
    /// Typos are looked for only when the query as typed does not fill the group, and then among at most this many
    /// records (the first by id): the similarity is computed row by row, so a typo shared by a whole table
    /// ("bench compny") must not rank it all.
    /// </summary>
    private const int TypoCap = 50;

    private const string Escape = "\\";

    public async Task<SearchResults> SearchAsync(string? text, int perGroup = BoxLimit, CancellationToken ct = default)
    {
        var query = (text ?? "").Trim();
        var terms = TextSearch.Parse(query);
        if (terms is null || terms.Term.Length < MinQueryLength)
        {
            return new SearchResults(query, ShortQueryHint, []);
        }
        perGroup = Math.Clamp(perGroup, 1, MaxLimit);
        await using var db = await factory.CreateDbContextAsync(ct);
        var results = new SearchResults(query, null,
        [
            await CompaniesAsync(db, terms, perGroup, ct),
            await InvestorsAsync(db, terms, perGroup, ct),
            await PeopleAsync(db, terms, perGroup, ct),
            await ModelsAsync(db, terms, perGroup, ct),
            await SourcesAsync(db, terms, perGroup, ct),
        ]);
        return results.IsEmpty && terms.Fuzzy
            ? results with { Suggestions = await SuggestionsAsync(db, terms, ct) }
            : results;
    }

    /// <summary>"Did you mean": the names of any kind nearest the query, each table's GiST index read in distance order, one command.</summary>
    private static Task<IReadOnlyList<string>> SuggestionsAsync(AppDbContext db, TextSearch.Terms t, CancellationToken ct) =>
        TextSearch.SuggestionsAsync(
            db.Companies.Nearest(t, TextSearch.SuggestionCandidates).Select(c => new TextSearch.NamedText { Name = c.NameEn, SearchText = c.SearchText })
                .Concat(db.Investors.Nearest(t, TextSearch.SuggestionCandidates).Select(i => new TextSearch.NamedText { Name = i.NameEn, SearchText = i.SearchText }))
                .Concat(db.People.Nearest(t, TextSearch.SuggestionCandidates).Select(p => new TextSearch.NamedText { Name = p.NameEn, SearchText = p.SearchText }))
                .Concat(db.ModelReleases.Nearest(t, TextSearch.SuggestionCandidates).Select(m => new TextSearch.NamedText { Name = m.Name, SearchText = m.SearchText })),
            t, ct);

    /// <summary>
    /// The ids a group ranks: the first <see cref="CandidateCap"/> by id of the names starting with the query, the
    /// first <see cref="CandidateCap"/> by id of those containing it, and, only when they do not fill the group, names
    /// resembling it (a typo). Each part is "first N by id", which PostgreSQL stops reading once it has N: a query in
    /// a third of all names ("ai") no longer sorts all of them to pick the cap (ordering the whole match by "starts
    /// with" did: 77 ms a query at 20,000 companies, measured). The typo condition is uncorrelated, so PostgreSQL
    /// checks it once and skips the typo scan entirely when it is false. One subquery.
    /// </summary>
    private static IQueryable<int> Candidates<T>(IQueryable<T> set, TextSearch.Terms t, int take) where T : class, ISearchable
    {
        var containing = set.Containing(t);
        var ids = set.Where(x => EF.Functions.Like(x.SearchText, AppDbContext.FoldAccents(t.StartLike), Escape))
            .Select(x => x.Id).OrderBy(id => id).Take(CandidateCap)
            .Union(containing.Select(x => x.Id).OrderBy(id => id).Take(CandidateCap));
        return t.Fuzzy
            ? ids.Union(set.Where(_ => containing.Select(x => x.Id).OrderBy(id => id).Take(take + 1).Count() <= take)
                .Resembling(t).Select(x => x.Id).OrderBy(id => id).Take(TypoCap))
            : ids;
    }

    private static async Task<SearchGroup> CompaniesAsync(AppDbContext db, TextSearch.Terms t, int take, CancellationToken ct)
    {
        var term = t.Term;
        var people = Candidates(db.People, t, take);
        // The company's own names (those starting with the query, and any), or one of its people's: index look-ups
        // joined by UNION, not an OR over every row.
        var own = Candidates(db.Companies, t, take);
        var ids = own
            .Union(db.Set<CompanyRole>().Where(r => people.Contains(r.PersonId)).Select(r => r.CompanyId).OrderBy(id => id).Take(CandidateCap));
        var rows = await db.Companies.AsNoTracking()
            .Where(c => ids.Contains(c.Id))
            .Select(c => new
            {
                c.Slug, c.NameEn, c.NameZh, c.HeadquartersCity, c.FoundedOn,
                Exact = EF.Functions.Unaccent(c.NameEn.ToLower()) == AppDbContext.FoldAccents(term) || c.NameZh == term
                        || (c.Pinyin != null && EF.Functions.Unaccent(c.Pinyin.ToLower()) == AppDbContext.FoldAccents(term)),
                // The folded English name, the Chinese name and the folded pinyin are indexed (migrations
                // PersonExactNameIndexes, PersonPinyin): without them every person was read, three times, for each
                // query of one or two letters.
                PersonExact = c.Roles.Any(r => AppDbContext.FoldAccents(r.Person.NameEn.ToLower()) == AppDbContext.FoldAccents(term)
                                               || r.Person.NameZh == term
                                               || AppDbContext.FoldAccents(r.Person.Pinyin!.ToLower()) == AppDbContext.FoldAccents(term)),
                // The company's own names only: a company found through a person ranks by PersonExact, then by name.
                Similarity = EF.Functions.TrigramsWordSimilarity(AppDbContext.FoldAccents(term), c.SearchText),
                // Found by its own names (the same candidates, not a second copy of the matching and typo rules).
                Direct = own.Contains(c.Id),
                // The people candidates (capped, index-read): a company shown because of a person has that person
                // among them. Matching every role's person by text instead made PostgreSQL read all people and roles
                // for the few companies shown (36 ms for "ai" at 20,000 people, measured).
                People = c.Roles.Where(r => people.Contains(r.PersonId))
                    .OrderBy(r => r.EndedOn != null).ThenBy(r => r.Id)
                    .Select(r => new RoleRow(r.Person.NameEn, r.Kind, r.Title, r.EndedOn != null, "", ""))
                    .Take(4).ToList(),
            })
            // One score (exact name 4, a person's exact name 2, plus the similarity, at most 1), not three keys: with
            // "exact" as a first key of its own, PostgreSQL sorted every company by it before joining the candidates.
            .OrderByDescending(c => (c.Exact ? 4.0 : 0.0) + (c.PersonExact ? 2.0 : 0.0) + c.Similarity)
            .ThenBy(c => c.NameEn)
            .Take(take + 1)
            .ToListAsync(ct);
        return Group(SearchKind.Company, take, rows.Select(c => new SearchHit(SearchKind.Company, c.NameEn, c.NameZh,
            c.Direct || c.People.Count == 0 ? CompanyContext(c.HeadquartersCity, c.FoundedOn) : ViaPeople(c.People),
            $"/companies/{c.Slug}")));
    }

    private static async Task<SearchGroup> InvestorsAsync(AppDbContext db, TextSearch.Terms t, int take, CancellationToken ct)
    {
        var term = t.Term;
        var ids = Candidates(db.Investors, t, take);
        var rows = await db.Investors.AsNoTracking().Where(i => ids.Contains(i.Id))
            .Select(i => new
            {
                i.Slug, i.NameEn, i.NameZh, i.Kind, i.Country,
                Exact = EF.Functions.Unaccent(i.NameEn.ToLower()) == AppDbContext.FoldAccents(term) || i.NameZh == term,
                Similarity = EF.Functions.TrigramsWordSimilarity(AppDbContext.FoldAccents(term), i.SearchText),
            })
            .OrderByDescending(i => i.Exact).ThenByDescending(i => i.Similarity).ThenBy(i => i.NameEn)
            .Take(take + 1)
            .ToListAsync(ct);
        return Group(SearchKind.Investor, take, rows.Select(i => new SearchHit(SearchKind.Investor, i.NameEn, i.NameZh,
            i.Country is null ? InvestorLabels.Kind(i.Kind) : $"{InvestorLabels.Kind(i.Kind)} · {InvestorLabels.Country(i.Country)}",
            $"/investors/{i.Slug}")));
    }

    private static async Task<SearchGroup> PeopleAsync(AppDbContext db, TextSearch.Terms t, int take, CancellationToken ct)
    {
        var term = t.Term;
        var loose = t.LooseTerm;
        var ids = Candidates(db.People, t, take);
        var rows = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new
            {
                p.Slug, p.NameEn, p.NameZh,
                Exact = EF.Functions.Unaccent(p.NameEn.ToLower()) == AppDbContext.FoldAccents(term) || p.NameZh == term
                        || EF.Functions.Unaccent(p.NameEn.ToLower().Replace("-", " ").Replace(".", " ")) == AppDbContext.FoldAccents(loose)
                        || (p.Pinyin != null && EF.Functions.Unaccent(p.Pinyin.ToLower()) == AppDbContext.FoldAccents(term)),
                Similarity = EF.Functions.TrigramsWordSimilarity(AppDbContext.FoldAccents(term), p.SearchText),
                Roles = p.Roles.OrderBy(r => r.EndedOn != null).ThenBy(r => r.Id)
                    .Select(r => new RoleRow(p.NameEn, r.Kind, r.Title, r.EndedOn != null, r.Company.Slug, r.Company.NameEn))
                    .Take(6).ToList(),
            })
            .OrderByDescending(p => p.Exact).ThenByDescending(p => p.Similarity).ThenBy(p => p.NameEn)
            .Take(take + 1)
            .ToListAsync(ct);
        return Group(SearchKind.Person, take, rows.Select(p => new SearchHit(SearchKind.Person, p.NameEn, p.NameZh,
            PersonContext(p.Roles), $"/people/{p.Slug}")));
    }

    private static async Task<SearchGroup> ModelsAsync(AppDbContext db, TextSearch.Terms t, int take, CancellationToken ct)
    {
        var term = t.Term;
        var loose = t.LooseTerm;
        var ids = Candidates(db.ModelReleases, t, take);
        var rows = await db.ModelReleases.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new
            {
                m.Id, m.Name, m.ReleasedOn, m.Precision, m.OpenWeights, CompanySlug = m.Company.Slug,
                CompanyNameEn = m.Company.NameEn, CompanyNameZh = m.Company.NameZh,
                Exact = EF.Functions.Unaccent(m.Name.ToLower()) == AppDbContext.FoldAccents(term)
                        || EF.Functions.Unaccent(m.Name.ToLower().Replace("-", " ").Replace(".", " ")) == AppDbContext.FoldAccents(loose),
                Similarity = EF.Functions.TrigramsWordSimilarity(AppDbContext.FoldAccents(term), m.SearchText),
            })
            .OrderByDescending(m => m.Exact).ThenByDescending(m => m.Similarity).ThenByDescending(m => m.ReleasedOn)
            .ThenBy(m => m.Name)
            .Take(take + 1)
            .ToListAsync(ct);
        return Group(SearchKind.Model, take, rows.Select(m => new SearchHit(SearchKind.Model, m.Name, null,
            string.Join(" · ", new[]
            {
                m.CompanyNameZh is null ? m.CompanyNameEn : $"{m.CompanyNameEn} ({m.CompanyNameZh})",
                m.ReleasedOn is null ? null : Format.Date(m.ReleasedOn, m.Precision == DatePrecision.Day ? DatePrecision.Month : m.Precision),
                m.OpenWeights switch { true => "open weights", false => "closed weights", null => null },
            }.Where(s => s is not null)),
            $"/companies/{m.CompanySlug}#model-{m.Id}")));
    }

    private static async Task<SearchGroup> SourcesAsync(AppDbContext db, TextSearch.Terms t, int take, CancellationToken ct)
    {
        if (!t.Fuzzy)
        {
            // One or two letters ("ai") are in a large share of all titles and URLs, and no trigram index can find
            // them: such a query lists no sources (the other groups still answer it).
            return new SearchGroup(SearchKind.Source, [], false);
        }
        var prefix = TextSearch.EscapeLike(t.Term) + "%";
        // Among the latest-added matches, titles that start with the query first: a word in a quarter of all titles
        // ("Caixin") must not sort them all.
        var ids = db.Sources.Matching(t).Select(s => s.Id).OrderByDescending(id => id).Take(CandidateCap);
        var rows = await db.Sources.AsNoTracking().Where(s => ids.Contains(s.Id))
            .Select(s => new
            {
                s.Key, s.Title, s.Url, s.Publisher, s.PublishedOn, s.PublishedPrecision,
                TitleFirst = s.Title != null && EF.Functions.ILike(s.Title, prefix, Escape),
            })
            .OrderByDescending(s => s.TitleFirst).ThenByDescending(s => s.PublishedOn).ThenBy(s => s.Key)
            .Take(take + 1)
            .ToListAsync(ct);
        return Group(SearchKind.Source, take, rows.Select(s => new SearchHit(SearchKind.Source, s.Title ?? s.Url ?? s.Key ?? "Untitled source",
            null,
            string.Join(" · ", new[] { s.Publisher, s.PublishedOn is null ? null : Format.Date(s.PublishedOn, s.PublishedPrecision) }
                .Where(x => x is not null)),
            s.Url, IsExternal: s.Url is not null)));
    }

    private static SearchGroup Group(SearchKind kind, int take, IEnumerable<SearchHit> hits)
    {
        var list = hits.ToList();
        return new SearchGroup(kind, list.Take(take).ToList(), list.Count > take);
    }

    private sealed record RoleRow(string PersonName, PersonRoleKind Kind, string? Title, bool Ended, string CompanySlug, string CompanyName);

    /// <summary>"Founder &amp; CEO": current roles first, then in the kinds' order (stored as names, so sorted here).</summary>
    private static string RoleTitles(IEnumerable<RoleRow> roles) =>
        string.Join(" & ", roles.OrderBy(r => r.Ended).ThenBy(r => r.Kind).Select(r => (r.Title ?? PersonLabels.Role(r.Kind)) + (r.Ended ? " (former)" : ""))
            .Distinct(StringComparer.OrdinalIgnoreCase));

    /// <summary>"Founder &amp; CEO, 01.AI"; a second company after a semicolon.</summary>
    private static string? PersonContext(IReadOnlyList<RoleRow> roles) => roles.Count == 0
        ? null
        : string.Join("; ", roles.GroupBy(r => r.CompanySlug).Take(2).Select(g => $"{RoleTitles(g)}, {g.First().CompanyName}"));

    /// <summary>Found through its people: "Kai-Fu Lee: Founder &amp; CEO".</summary>
    private static string ViaPeople(IReadOnlyList<RoleRow> roles) =>
        string.Join("; ", roles.GroupBy(r => r.PersonName).Select(g => $"{g.Key}: {RoleTitles(g)}"));

    private static string? CompanyContext(string? city, DateOnly? founded) => (city, founded) switch
    {
        ({ } c, { } f) => $"{c} · founded {f.Year}",
        ({ } c, null) => c,
        (null, { } f) => $"founded {f.Year}",
        _ => null,
    };
}
