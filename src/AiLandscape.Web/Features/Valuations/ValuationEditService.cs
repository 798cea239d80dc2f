using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Valuations;

/// <summary>Adding, correcting and deleting valuation points with their sources.</summary>
public sealed class ValuationEditService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer) : IEditService<ValuationRequest>
{
    /// <summary>An empty form for a new valuation of the company, or null when there is no such company.</summary>
    public async Task<ValuationForm?> NewAsync(string companySlug, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var company = await db.Companies.AsNoTracking().Where(c => c.Slug == companySlug)
            .Select(c => new { c.Id, c.Slug, c.NameEn }).FirstOrDefaultAsync(ct);
        return company is null ? null
            : new ValuationForm(new ValuationRequest { CompanyId = company.Id }, company.Slug, company.NameEn,
                await RoundsOfAsync(db, company.Id, ct));
    }

    /// <summary>The form of an existing valuation point, or null when it does not exist.</summary>
    public async Task<ValuationForm?> EditAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var loadedAt = DateTimeOffset.UtcNow;
        var row = await db.ValuationPoints.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { Valuation = x, x.Company.Slug, x.Company.NameEn })
            .FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }
        var x = row.Valuation;
        var request = new ValuationRequest
        {
            Id = x.Id, Version = x.Version, LoadedAt = loadedAt, CompanyId = x.CompanyId,
            ValuedOn = PartialDates.Write(x.ValuedOn, x.Precision), Amount = Decimals.Plain(x.Amount), Currency = x.Currency.Trim(),
            Qualifier = x.Qualifier, Basis = x.Basis, FundingRoundId = x.FundingRoundId, IsUnverified = x.IsUnverified,
            Notes = x.Notes,
            Sources = await RecordSources.LoadAsync(db, RecordType.ValuationPoint, id, ct),
        };
        return new ValuationForm(request, row.Slug, row.NameEn, await RoundsOfAsync(db, x.CompanyId, ct));
    }

    public async Task<IReadOnlyList<SourceOption>> SearchSourcesAsync(string? text, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await RecordSources.SearchAsync(db, text, ct);
    }

    public async Task<SaveResult> SaveAsync(ValuationRequest r, CancellationToken ct = default)
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
            var company = await db.Companies.AsNoTracking().Where(c => c.Id == r.CompanyId)
                .Select(c => new { c.Id, c.NameEn }).FirstOrDefaultAsync(token);
            if (company is null)
            {
                return SaveResult.Invalid(nameof(r.CompanyId), "Company: that company does not exist (any more).");
            }
            if (r.FundingRoundId is { } roundId
                && !await db.FundingRounds.AnyAsync(x => x.Id == roundId && x.CompanyId == r.CompanyId, token))
            {
                return SaveResult.Invalid(nameof(r.FundingRoundId), $"Round: round #{roundId} is not one of {company.NameEn}'s rounds (any more); pick another or none.");
            }
            if (await RecordSources.CheckExistAsync(db, r.Sources, token) is { } missing)
            {
                return SaveResult.Invalid([missing]);
            }

            ValuationPoint valuation;
            if (r.Id is { } id)
            {
                var existing = await db.ValuationPoints.FirstOrDefaultAsync(x => x.Id == id, token);
                if (existing is null || existing.CompanyId != r.CompanyId)
                {
                    return SaveResult.NotFound("This valuation has been deleted by another editor.");
                }
                valuation = existing;
                edit.ExpectVersion(valuation, r.Version, r.Overwrite);
            }
            else
            {
                valuation = new ValuationPoint { CompanyId = r.CompanyId, Currency = r.Currency };
                db.ValuationPoints.Add(valuation);
            }

            PartialDates.TryParse(r.ValuedOn, out var valuedOn, out var precision);
            valuation.ValuedOn = valuedOn;
            valuation.Precision = precision;
            valuation.Amount = r.Amount!.Value;
            valuation.Currency = r.Currency;
            valuation.Qualifier = r.Qualifier;
            valuation.Basis = r.Basis;
            valuation.FundingRoundId = r.FundingRoundId;
            valuation.IsUnverified = r.IsUnverified;
            valuation.Notes = Clean(r.Notes);
            await RecordSources.ApplyAsync(edit, RecordType.ValuationPoint, valuation, r.Id, r.Sources, token);

            edit.Subject = valuation;
            edit.CompanyId = r.CompanyId;
            edit.RefreshFiguresOf(r.CompanyId);
            edit.Summary = $"{(r.Id is null ? "Added" : "Changed")} {Format.Date(valuedOn, precision)} valuation of {company.NameEn}";
            return null;
        }, ct);
    }

    public Task<SaveResult> DeleteAsync(int id, uint version, CancellationToken ct = default) =>
        writer.SaveAsync(DateTimeOffset.UtcNow, async (edit, token) =>
        {
            var db = edit.Db;
            var valuation = await db.ValuationPoints.Include(x => x.Company).FirstOrDefaultAsync(x => x.Id == id, token);
            if (valuation is null)
            {
                return SaveResult.NotFound("This valuation has already been deleted.");
            }
            edit.ExpectVersion(valuation, version, overwrite: false);
            await RecordSources.RemoveAllAsync(db, RecordType.ValuationPoint, id, token);
            db.ValuationPoints.Remove(valuation);
            edit.CompanyId = valuation.CompanyId;
            edit.RefreshFiguresOf(valuation.CompanyId);
            edit.Summary = $"Deleted {Format.Date(valuation.ValuedOn, valuation.Precision)} valuation of {valuation.Company.NameEn}";
            return null;
        }, ct);

    private static async Task<IReadOnlyList<RoundOption>> RoundsOfAsync(AppDbContext db, int companyId, CancellationToken ct)
    {
        var rounds = await db.FundingRounds.AsNoTracking().Where(x => x.CompanyId == companyId)
            .OrderBy(x => x.AnnouncedOn).ThenBy(x => x.Id)
            .Select(x => new { x.Id, x.Stage, x.LabelAsAnnounced, x.AnnouncedOn, x.AnnouncedPrecision })
            .ToListAsync(ct);
        return rounds.Select(x => new RoundOption(x.Id,
            $"{Format.Stage(x.Stage)}{(x.LabelAsAnnounced is null ? "" : $" ({x.LabelAsAnnounced})")} · {Format.Date(x.AnnouncedOn, x.AnnouncedPrecision)} · #{x.Id}")).ToList();
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
