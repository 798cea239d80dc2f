using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Search;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.People;

/// <summary>People and their roles across companies: the /people list and the /people/{slug} page.</summary>
public sealed class PersonService([FromKeyedServices(ReplicaReads.Key)] IDbContextFactory<AppDbContext> factory)
{
    /// <summary>
    /// A page of people, filtered, sorted by name and cut in SQL: two commands (count, page with its roles)
    /// whatever the number of people.
    /// </summary>
    public async Task<PagedResult<PersonListItem>> ListAsync(PersonQuery query, CancellationToken ct = default)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, 100);
        var page = Math.Max(query.Page, 0);
        await using var db = await factory.CreateDbContextAsync(ct);

        // The same bilingual, pinyin- and typo-tolerant matching as the search box (Features/Search/TextSearch).
        var people = db.People.AsNoTracking().Matching(TextSearch.Parse(query.Search));
        var total = await people.CountAsync(ct);
        var sorted = query.Descending
            ? people.OrderByDescending(p => p.NameEn).ThenByDescending(p => p.Id)
            : people.OrderBy(p => p.NameEn).ThenBy(p => p.Id);
        var items = await sorted.Skip(page * pageSize).Take(pageSize)
            .Select(p => new PersonListItem(p.Id, p.Slug, p.NameEn, p.NameZh, p.Pinyin,
                p.Roles.OrderBy(r => r.EndedOn != null).ThenBy(r => r.Company.NameEn).ThenBy(r => r.Id)
                    .Select(r => new PersonRoleSummary(r.Kind, r.Title, r.Company.Slug, r.Company.NameEn, r.Company.NameZh,
                        r.StartedOn, r.EndedOn))
                    .ToList()))
            .ToListAsync(ct);
        // Kinds are stored as names: founder before CEO is the enum's order, put in C#.
        items = items.Select(i => i with
        {
            Roles = i.Roles.OrderBy(r => r.EndedOn is not null).ThenBy(r => r.CompanyNameEn, StringComparer.OrdinalIgnoreCase)
                .ThenBy(r => r.Kind).ToList(),
        }).ToList();
        return new PagedResult<PersonListItem>(items, total);
    }

    /// <summary>
    /// A person's page, or null for an unknown slug. Three SQL commands whatever the number of roles: the person with
    /// their roles and companies; the investor records that are this person; the citations of the person and roles.
    /// </summary>
    public async Task<PersonProfile?> GetProfileAsync(string slug, CancellationToken ct = default)
    {
        slug = slug.Trim().ToLowerInvariant();
        await using var db = await factory.CreateDbContextAsync(ct);
        var person = await db.People.AsNoTracking()
            .Where(p => p.Slug == slug)
            .Select(p => new
            {
                p.Id, p.Slug, p.NameEn, p.NameZh, p.Pinyin, p.BirthYear, p.Bio,
                Roles = p.Roles.Select(r => new
                {
                    r.Id, r.Kind, r.Title, r.StartedOn, r.EndedOn, r.Company.Slug, r.Company.NameEn, r.Company.NameZh,
                }).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        if (person is null)
        {
            return null;
        }

        var investors = await db.Investors.AsNoTracking()
            .Where(i => i.PersonId == person.Id)
            .OrderBy(i => i.NameEn).ThenBy(i => i.Id)
            .Select(i => new PersonInvestor(i.Id, i.Slug, i.NameEn, i.NameZh))
            .ToListAsync(ct);
        var citations = await SourceQueries.CitationsOfAsync(db, new Dictionary<RecordType, IReadOnlyCollection<int>>
        {
            [RecordType.Person] = [person.Id],
            [RecordType.CompanyRole] = person.Roles.Select(r => r.Id).ToList(),
        }, ct);

        // Current roles first, then earlier ones; within a company the oldest first, undated (most founders) first.
        var companies = person.Roles
            .GroupBy(r => r.Slug)
            .Select(g => new PersonCompany(g.Key, g.First().NameEn, g.First().NameZh,
                g.OrderBy(r => r.EndedOn is not null).ThenBy(r => r.StartedOn).ThenBy(r => r.Kind).ThenBy(r => r.Id)
                    .Select(r => new PersonRole(r.Id, r.Kind, r.Title, r.StartedOn, r.EndedOn)).ToList()))
            .OrderBy(c => c.Roles.All(r => r.IsEarlier))
            .ThenBy(c => c.NameEn, StringComparer.OrdinalIgnoreCase)
            .ToList();

        return new PersonProfile(person.Id, person.Slug, person.NameEn, person.NameZh, person.Pinyin, person.BirthYear, person.Bio,
            companies, investors, citations.All);
    }
}
