using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Features.Search;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Investors;

/// <summary>Adding, correcting and deleting investors.</summary>
public sealed class InvestorEditService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer) : IEditService<InvestorRequest>
{
    public static InvestorForm NewForm() => new(new InvestorRequest(), null, null);

    /// <summary>The form of an existing investor, or null when there is no such investor.</summary>
    public async Task<InvestorForm?> EditAsync(string slug, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var loadedAt = DateTimeOffset.UtcNow;
        var i = await db.Investors.AsNoTracking().Where(x => x.Slug == slug)
            .Select(x => new { Investor = x, ParentName = x.Parent == null ? null : x.Parent.NameEn })
            .FirstOrDefaultAsync(ct);
        if (i is null)
        {
            return null;
        }
        var x = i.Investor;
        var request = new InvestorRequest
        {
            Id = x.Id, Version = x.Version, LoadedAt = loadedAt, Slug = x.Slug, NameEn = x.NameEn, NameZh = x.NameZh,
            Aliases = ListText.Join(x.Aliases), Kind = x.Kind, Country = x.Country?.Trim(), Website = x.Website,
            Summary = x.Summary, ParentId = x.ParentId, ParentName = i.ParentName,
        };
        return new InvestorForm(request, x.Slug, x.NameEn);
    }

    /// <summary>Investors offered as the parent: any but the one being edited.</summary>
    public async Task<IReadOnlyList<InvestorOption>> SearchInvestorsAsync(string? text, int? exceptId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Investors.AsNoTracking().Matching(TextSearch.Parse(text))
            .Where(i => i.Id != exceptId)
            .OrderBy(i => i.NameEn).Take(20)
            .Select(i => new InvestorOption(i.Id, i.NameEn, i.NameZh, i.Slug))
            .ToListAsync(ct);
    }

    public async Task<SaveResult> SaveAsync(InvestorRequest r, CancellationToken ct = default)
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
            var clash = await db.Investors.AsNoTracking().Where(x => x.Slug == slug && x.Id != r.Id)
                .Select(x => x.NameEn).FirstOrDefaultAsync(token);
            if (clash is not null)
            {
                return SaveResult.Invalid(nameof(r.Slug), $"Slug: {slug} is already used by {clash}.");
            }
            if (r.ParentId is { } parentId && await ParentProblemAsync(db, r.Id, parentId, token) is { } problem)
            {
                return SaveResult.Invalid(nameof(r.ParentId), problem);
            }

            Investor investor;
            if (r.Id is { } id)
            {
                var existing = await db.Investors.FirstOrDefaultAsync(x => x.Id == id, token);
                if (existing is null)
                {
                    return SaveResult.NotFound("This investor has been deleted by another editor.");
                }
                investor = existing;
                edit.ExpectVersion(investor, r.Version, r.Overwrite);
            }
            else
            {
                investor = new Investor { Slug = slug, NameEn = r.NameEn!.Trim() };
                db.Investors.Add(investor);
            }

            investor.Slug = slug;
            investor.NameEn = r.NameEn!.Trim();
            investor.NameZh = Clean(r.NameZh);
            CompanyEditService.SetList(investor.Aliases, ListText.Items(r.Aliases), l => investor.Aliases = l);
            investor.Kind = r.Kind;
            investor.Country = Clean(r.Country)?.ToUpperInvariant();
            investor.Website = Clean(r.Website);
            investor.Summary = Clean(r.Summary);
            investor.ParentId = r.ParentId;

            edit.Subject = investor;
            edit.Summary = $"{(r.Id is null ? "Added" : "Changed")} investor {investor.NameEn}";
            return null;
        }, ct);
    }

    /// <summary>
    /// Deletes an investor that is in no round: its rounds would otherwise lose an investor without anyone deciding
    /// so. Its units stay, without the parent; its citations go.
    /// </summary>
    public Task<SaveResult> DeleteAsync(int id, uint version, CancellationToken ct = default) =>
        writer.SaveAsync(DateTimeOffset.UtcNow, async (edit, token) =>
        {
            var db = edit.Db;
            var investor = await db.Investors.FirstOrDefaultAsync(x => x.Id == id, token);
            if (investor is null)
            {
                return SaveResult.NotFound("This investor has already been deleted.");
            }
            var rounds = await db.Participations.Where(p => p.InvestorId == id).Select(p => p.FundingRoundId).Distinct().CountAsync(token);
            if (rounds > 0)
            {
                return SaveResult.Invalid("",
                    $"{investor.NameEn} is an investor in {(rounds == 1 ? "1 round" : $"{rounds} rounds")}: remove it from those rounds first.");
            }
            edit.ExpectVersion(investor, version, overwrite: false);
            foreach (var unit in await db.Investors.Where(x => x.ParentId == id).ToListAsync(token))
            {
                unit.ParentId = null;
            }
            await RecordSources.RemoveAllAsync(db, RecordType.Investor, id, token);
            db.Investors.Remove(investor);
            edit.Summary = $"Deleted investor {investor.NameEn}";
            return null;
        }, ct);

    /// <summary>Why the parent cannot be chosen (missing, or a unit of this investor), or null.</summary>
    private static async Task<string?> ParentProblemAsync(AppDbContext db, int? id, int parentId, CancellationToken ct)
    {
        // Walk up from the chosen parent: meeting this investor would make a loop. The chains are a few links long.
        var seen = new HashSet<int>();
        int? current = parentId;
        while (current is { } c && seen.Add(c))
        {
            var row = await db.Investors.AsNoTracking().Where(x => x.Id == c).Select(x => new { x.ParentId }).FirstOrDefaultAsync(ct);
            if (row is null)
            {
                return c == parentId ? "Parent investor: that investor has been deleted; choose another." : null;
            }
            if (id is not null && c == id)
            {
                return "Parent investor: it belongs to this investor already, so it cannot also be its parent.";
            }
            current = row.ParentId;
        }
        return null;
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
