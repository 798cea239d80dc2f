using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Search;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.People;

/// <summary>Adding, correcting and deleting people with their roles at companies.</summary>
public sealed class PersonEditService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer) : IEditService<PersonRequest>
{
    /// <summary>An empty form; with a company's slug, one role at that company is filled in.</summary>
    public async Task<PersonForm> NewFormAsync(string? companySlug, CancellationToken ct = default)
    {
        var request = new PersonRequest();
        if (!string.IsNullOrWhiteSpace(companySlug))
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var company = await db.Companies.AsNoTracking().Where(c => c.Slug == companySlug)
                .Select(c => new { c.Id, c.NameEn, c.Slug }).FirstOrDefaultAsync(ct);
            if (company is not null)
            {
                request.Roles.Add(new RoleInput { CompanyId = company.Id, CompanyName = company.NameEn, CompanySlug = company.Slug });
            }
        }
        return new PersonForm(request, null);
    }

    /// <summary>The form of an existing person, or null when there is no such person.</summary>
    public async Task<PersonForm?> EditAsync(string slug, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var loadedAt = DateTimeOffset.UtcNow;
        var p = await db.People.AsNoTracking().Where(x => x.Slug == slug)
            .Select(x => new
            {
                Person = x,
                Roles = x.Roles.OrderBy(r => r.StartedOn == null).ThenBy(r => r.StartedOn).ThenBy(r => r.Id)
                    .Select(r => new { r.Id, r.CompanyId, r.Company.NameEn, r.Company.Slug, r.Kind, r.Title, r.StartedOn, r.EndedOn })
                    .ToList(),
            })
            .FirstOrDefaultAsync(ct);
        if (p is null)
        {
            return null;
        }
        var x = p.Person;
        var request = new PersonRequest
        {
            Id = x.Id, Version = x.Version, LoadedAt = loadedAt, Slug = x.Slug, NameEn = x.NameEn, NameZh = x.NameZh,
            Pinyin = x.Pinyin, BirthYear = x.BirthYear, Bio = x.Bio,
            Roles = p.Roles.Select(r => new RoleInput
            {
                Id = r.Id, CompanyId = r.CompanyId, CompanyName = r.NameEn, CompanySlug = r.Slug, Kind = r.Kind, Title = r.Title,
                StartedOn = PartialDates.Write(r.StartedOn, DatePrecision.Day),
                EndedOn = PartialDates.Write(r.EndedOn, DatePrecision.Day),
            }).ToList(),
        };
        return new PersonForm(request, x.NameEn);
    }

    public async Task<IReadOnlyList<CompanyOption>> SearchCompaniesAsync(string? text, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Companies.AsNoTracking().Matching(TextSearch.Parse(text))
            .OrderBy(c => c.NameEn).Take(20)
            .Select(c => new CompanyOption(c.Id, c.NameEn, c.NameZh, c.Slug))
            .ToListAsync(ct);
    }

    public async Task<SaveResult> SaveAsync(PersonRequest r, CancellationToken ct = default)
    {
        writer.EnsureCanEdit(); // before validating: a refused user learns nothing about the data
        var v = new Validator();
        r.Validate(v);
        if (!v.IsValid)
        {
            return SaveResult.Invalid(v.Errors);
        }
        return await writer.SaveAsync(r.LoadedAt, async (edit, token) =>
        {
            var db = edit.Db;
            var slug = r.Slug!.Trim();
            var clash = await db.People.AsNoTracking().Where(x => x.Slug == slug && x.Id != r.Id)
                .Select(x => x.NameEn).FirstOrDefaultAsync(token);
            if (clash is not null)
            {
                return SaveResult.Invalid(nameof(r.Slug), $"Slug: {slug} is already used by {clash}.");
            }
            var companyIds = r.Roles.Select(x => x.CompanyId!.Value).Distinct().ToList();
            var companies = await db.Companies.AsNoTracking().Where(c => companyIds.Contains(c.Id))
                .ToDictionaryAsync(c => c.Id, c => c.NameEn, token);
            var missing = r.Roles.FindIndex(x => !companies.ContainsKey(x.CompanyId!.Value));
            if (missing >= 0)
            {
                return SaveResult.Invalid($"Roles[{missing}].Company", $"Role {missing + 1}: that company has been deleted; choose another.");
            }

            Person person;
            if (r.Id is { } id)
            {
                var existing = await db.People.Include(x => x.Roles).FirstOrDefaultAsync(x => x.Id == id, token);
                if (existing is null)
                {
                    return SaveResult.NotFound("This person has been deleted by another editor.");
                }
                person = existing;
                edit.ExpectVersion(person, r.Version, r.Overwrite);
            }
            else
            {
                person = new Person { Slug = slug, NameEn = r.NameEn!.Trim() };
                db.People.Add(person);
            }

            person.Slug = slug;
            person.NameEn = r.NameEn!.Trim();
            person.NameZh = Clean(r.NameZh);
            person.Pinyin = Clean(r.Pinyin);
            person.BirthYear = r.BirthYear;
            person.Bio = Clean(r.Bio);
            await SyncRolesAsync(db, r, person, token);

            edit.Subject = person;
            edit.CompanyId = r.Roles.FirstOrDefault()?.CompanyId;
            edit.Summary = r.Roles.FirstOrDefault() is { } first
                ? $"{(r.Id is null ? "Added" : "Changed")} {person.NameEn} ({PersonLabels.Role(first.Kind)} of {companies[first.CompanyId!.Value]})"
                : $"{(r.Id is null ? "Added" : "Changed")} {person.NameEn}";
            return null;
        }, ct);
    }

    /// <summary>Deletes the person with their roles (each audited); an investor profile of the person stays, unlinked.</summary>
    public Task<SaveResult> DeleteAsync(int id, uint version, CancellationToken ct = default) =>
        writer.SaveAsync(DateTimeOffset.UtcNow, async (edit, token) =>
        {
            var db = edit.Db;
            var person = await db.People.Include(x => x.Roles).ThenInclude(x => x.Company).FirstOrDefaultAsync(x => x.Id == id, token);
            if (person is null)
            {
                return SaveResult.NotFound("This person has already been deleted.");
            }
            edit.ExpectVersion(person, version, overwrite: false);
            foreach (var investor in await db.Investors.Where(i => i.PersonId == id).ToListAsync(token))
            {
                investor.PersonId = null;
            }
            foreach (var role in person.Roles)
            {
                await RecordSources.RemoveAllAsync(db, RecordType.CompanyRole, role.Id, token);
            }
            await RecordSources.RemoveAllAsync(db, RecordType.Person, id, token);
            db.CompanyRoles.RemoveRange(person.Roles);
            db.People.Remove(person);
            var first = person.Roles.OrderBy(x => x.Id).FirstOrDefault();
            edit.CompanyId = first?.CompanyId;
            edit.Summary = first is null ? $"Deleted {person.NameEn}"
                : $"Deleted {person.NameEn} ({PersonLabels.Role(first.Kind)} of {first.Company.NameEn})";
            return null;
        }, ct);

    private static async Task SyncRolesAsync(AppDbContext db, PersonRequest r, Person person, CancellationToken ct)
    {
        var kept = r.Roles.Where(x => x.Id is not null).Select(x => x.Id!.Value).ToHashSet();
        foreach (var gone in person.Roles.Where(x => !kept.Contains(x.Id)).ToList())
        {
            await RecordSources.RemoveAllAsync(db, RecordType.CompanyRole, gone.Id, ct);
            db.CompanyRoles.Remove(gone);
            person.Roles.Remove(gone);
        }
        foreach (var input in r.Roles)
        {
            var role = input.Id is { } rid ? person.Roles.FirstOrDefault(x => x.Id == rid) : null;
            if (role is null)
            {
                role = new CompanyRole();
                person.Roles.Add(role);
            }
            role.CompanyId = input.CompanyId!.Value;
            role.Kind = input.Kind;
            role.Title = Clean(input.Title);
            role.StartedOn = PartialDates.ParseOrNull(input.StartedOn);
            role.EndedOn = PartialDates.ParseOrNull(input.EndedOn);
        }
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
