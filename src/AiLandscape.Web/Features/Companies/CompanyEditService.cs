using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Search;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Companies;

/// <summary>Adding, correcting and deleting companies (with their sources).</summary>
public sealed class CompanyEditService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer) : IEditService<CompanyRequest>
{
    public static CompanyForm NewForm() => new(new CompanyRequest(), null, null);

    /// <summary>The form of an existing company, or null when there is no such company.</summary>
    public async Task<CompanyForm?> EditAsync(string slug, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var loadedAt = DateTimeOffset.UtcNow;
        var c = await db.Companies.AsNoTracking().FirstOrDefaultAsync(x => x.Slug == slug, ct);
        if (c is null)
        {
            return null;
        }
        var request = new CompanyRequest
        {
            Id = c.Id, Version = c.Version, LoadedAt = loadedAt, Slug = c.Slug, NameEn = c.NameEn, NameZh = c.NameZh,
            Pinyin = c.Pinyin, LegalNames = ListText.JoinLines(c.LegalNames), Aliases = ListText.Join(c.Aliases),
            FoundedOn = PartialDates.Write(c.FoundedOn, c.FoundedPrecision), HeadquartersCity = c.HeadquartersCity,
            Website = c.Website, Status = c.Status, ListingVenue = c.ListingVenue, Ticker = c.Ticker,
            ListedOn = PartialDates.Write(c.ListedOn, DatePrecision.Day), Summary = c.Summary,
            Sectors = ListText.Join(c.Sectors), Groups = ListText.Join(c.Groups),
            Sources = await RecordSources.LoadAsync(db, RecordType.Company, c.Id, ct),
        };
        return new CompanyForm(request, c.Slug, c.NameEn);
    }

    public async Task<IReadOnlyList<CompanyOption>> SearchCompaniesAsync(string? text, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Companies.AsNoTracking().Matching(TextSearch.Parse(text))
            .OrderBy(c => c.NameEn).Take(20)
            .Select(c => new CompanyOption(c.Id, c.NameEn, c.NameZh, c.Slug))
            .ToListAsync(ct);
    }

    public async Task<IReadOnlyList<SourceOption>> SearchSourcesAsync(string? text, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await RecordSources.SearchAsync(db, text, ct);
    }

    public async Task<SaveResult> SaveAsync(CompanyRequest r, CancellationToken ct = default)
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
            var clash = await db.Companies.AsNoTracking().Where(c => c.Slug == slug && c.Id != r.Id)
                .Select(c => c.NameEn).FirstOrDefaultAsync(token);
            if (clash is not null)
            {
                return SaveResult.Invalid(nameof(r.Slug), $"Slug: {slug} is already used by {clash}.");
            }
            if (await RecordSources.CheckExistAsync(db, r.Sources, token) is { } missing)
            {
                return SaveResult.Invalid([missing]);
            }

            Company company;
            if (r.Id is { } id)
            {
                var existing = await db.Companies.FirstOrDefaultAsync(x => x.Id == id, token);
                if (existing is null)
                {
                    return SaveResult.NotFound("This company has been deleted by another editor.");
                }
                company = existing;
                edit.ExpectVersion(company, r.Version, r.Overwrite);
            }
            else
            {
                company = new Company { Slug = slug, NameEn = r.NameEn!.Trim() };
                db.Companies.Add(company);
            }

            Apply(r, company, slug);
            await RecordSources.ApplyAsync(edit, RecordType.Company, company, r.Id, r.Sources, token);

            edit.Subject = company;
            edit.CompanyId = r.Id;
            if (r.Id is null)
            {
                // The citations of a new company belong on its History tab too, once it has an id.
                edit.OnSaved(() => edit.CompanyId = company.Id);
            }
            edit.Summary = $"{(r.Id is null ? "Added" : "Changed")} company {company.NameEn}";
            return null;
        }, ct);
    }

    /// <summary>
    /// Deletes the company with everything that belongs to it. Each dependent is loaded and removed here rather than
    /// left to the database's cascade, so that every one of them has its audit entry and a revert can restore it.
    /// </summary>
    public Task<SaveResult> DeleteAsync(int id, uint version, CancellationToken ct = default) =>
        writer.SaveAsync(DateTimeOffset.UtcNow, async (edit, token) =>
        {
            var db = edit.Db;
            var company = await db.Companies
                .Include(c => c.Roles)
                .Include(c => c.Rounds).ThenInclude(x => x.Participations)
                .Include(c => c.Valuations)
                .Include(c => c.Events)
                .Include(c => c.Models)
                .AsSplitQuery()
                .FirstOrDefaultAsync(c => c.Id == id, token);
            if (company is null)
            {
                return SaveResult.NotFound("This company has already been deleted.");
            }
            edit.ExpectVersion(company, version, overwrite: false);

            foreach (var role in company.Roles)
            {
                await RecordSources.RemoveAllAsync(db, RecordType.CompanyRole, role.Id, token);
            }
            foreach (var round in company.Rounds)
            {
                foreach (var p in round.Participations)
                {
                    await RecordSources.RemoveAllAsync(db, RecordType.Participation, p.Id, token);
                }
                await RecordSources.RemoveAllAsync(db, RecordType.FundingRound, round.Id, token);
                db.Participations.RemoveRange(round.Participations);
            }
            foreach (var valuation in company.Valuations)
            {
                await RecordSources.RemoveAllAsync(db, RecordType.ValuationPoint, valuation.Id, token);
            }
            foreach (var e in company.Events)
            {
                await RecordSources.RemoveAllAsync(db, RecordType.CompanyEvent, e.Id, token);
            }
            foreach (var m in company.Models)
            {
                await RecordSources.RemoveAllAsync(db, RecordType.ModelRelease, m.Id, token);
            }
            await RecordSources.RemoveAllAsync(db, RecordType.Company, id, token);
            db.CompanyRoles.RemoveRange(company.Roles);
            db.ValuationPoints.RemoveRange(company.Valuations);
            db.FundingRounds.RemoveRange(company.Rounds);
            db.CompanyEvents.RemoveRange(company.Events);
            db.ModelReleases.RemoveRange(company.Models);
            db.Companies.Remove(company);

            edit.CompanyId = id;
            edit.Summary = $"Deleted company {company.NameEn}";
            return null;
        }, ct);

    private static void Apply(CompanyRequest r, Company c, string slug)
    {
        c.Slug = slug;
        c.NameEn = r.NameEn!.Trim();
        c.NameZh = Clean(r.NameZh);
        c.Pinyin = Clean(r.Pinyin);
        SetList(c.LegalNames, ListText.Lines(r.LegalNames), l => c.LegalNames = l);
        SetList(c.Aliases, ListText.Items(r.Aliases), l => c.Aliases = l);
        SetList(c.Sectors, ListText.Items(r.Sectors), l => c.Sectors = l);
        SetList(c.Groups, ListText.Items(r.Groups), l => c.Groups = l);
        var founded = PartialDates.TryParse(r.FoundedOn, out var date, out var precision);
        c.FoundedOn = founded ? date : null;
        c.FoundedPrecision = founded ? precision : DatePrecision.Year;
        c.HeadquartersCity = Clean(r.HeadquartersCity);
        c.Website = Clean(r.Website);
        c.Status = r.Status;
        c.ListingVenue = Clean(r.ListingVenue);
        c.Ticker = Clean(r.Ticker);
        c.ListedOn = PartialDates.ParseOrNull(r.ListedOn);
        c.Summary = Clean(r.Summary);
    }

    /// <summary>Assigns a new list only when the items differ, so an unchanged list is not recorded as an edit.</summary>
    internal static void SetList(List<string> current, List<string> wanted, Action<List<string>> set)
    {
        if (!current.SequenceEqual(wanted, StringComparer.Ordinal))
        {
            set(wanted);
        }
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
