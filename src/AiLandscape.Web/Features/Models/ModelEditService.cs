using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Models;

/// <summary>Adding, correcting and deleting model releases with their sources.</summary>
public sealed class ModelEditService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer) : IEditService<ModelRequest>
{
    public async Task<ModelForm?> NewAsync(string companySlug, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var company = await db.Companies.AsNoTracking().Where(c => c.Slug == companySlug)
            .Select(c => new { c.Id, c.Slug, c.NameEn }).FirstOrDefaultAsync(ct);
        return company is null ? null : new ModelForm(new ModelRequest { CompanyId = company.Id }, company.Slug, company.NameEn);
    }

    public async Task<ModelForm?> EditAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var loadedAt = DateTimeOffset.UtcNow;
        var row = await db.ModelReleases.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { Model = x, x.Company.Slug, x.Company.NameEn })
            .FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }
        var x = row.Model;
        var request = new ModelRequest
        {
            Id = x.Id, Version = x.Version, LoadedAt = loadedAt, CompanyId = x.CompanyId, Name = x.Name,
            ReleasedOn = PartialDates.Write(x.ReleasedOn, x.Precision), OpenWeights = x.OpenWeights, Licence = x.Licence,
            Size = x.Size, Modality = x.Modality, Summary = x.Summary,
            Sources = await RecordSources.LoadAsync(db, RecordType.ModelRelease, id, ct),
        };
        return new ModelForm(request, row.Slug, row.NameEn);
    }

    public async Task<IReadOnlyList<SourceOption>> SearchSourcesAsync(string? text, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await RecordSources.SearchAsync(db, text, ct);
    }

    public async Task<SaveResult> SaveAsync(ModelRequest r, CancellationToken ct = default)
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
            if (await RecordSources.CheckExistAsync(db, r.Sources, token) is { } missing)
            {
                return SaveResult.Invalid([missing]);
            }
            var name = r.Name!.Trim();
            var twin = await db.ModelReleases.AsNoTracking()
                .Where(x => x.CompanyId == r.CompanyId && x.Id != r.Id && x.Name.ToLower() == name.ToLower())
                .Select(x => (int?)x.Id).FirstOrDefaultAsync(token);
            if (twin is not null && !r.Confirmed)
            {
                return SaveResult.Confirm([new FieldMessage(nameof(r.Name),
                    $"Name: {company.NameEn} already has a model named {name} (#{twin}): is this a duplicate?")]);
            }

            ModelRelease model;
            if (r.Id is { } id)
            {
                var existing = await db.ModelReleases.FirstOrDefaultAsync(x => x.Id == id, token);
                if (existing is null || existing.CompanyId != r.CompanyId)
                {
                    return SaveResult.NotFound("This model release has been deleted by another editor.");
                }
                model = existing;
                edit.ExpectVersion(model, r.Version, r.Overwrite);
            }
            else
            {
                model = new ModelRelease { CompanyId = r.CompanyId, Name = name };
                db.ModelReleases.Add(model);
            }

            var dated = PartialDates.TryParse(r.ReleasedOn, out var releasedOn, out var precision);
            model.Name = name;
            model.ReleasedOn = dated ? releasedOn : null;
            model.Precision = dated ? precision : DatePrecision.Day;
            model.OpenWeights = r.OpenWeights;
            model.Licence = Clean(r.Licence);
            model.Size = Clean(r.Size);
            model.Modality = Clean(r.Modality);
            model.Summary = Clean(r.Summary);
            await RecordSources.ApplyAsync(edit, RecordType.ModelRelease, model, r.Id, r.Sources, token);

            edit.Subject = model;
            edit.CompanyId = r.CompanyId;
            edit.Summary = $"{(r.Id is null ? "Added" : "Changed")} model {name} of {company.NameEn}";
            return null;
        }, ct);
    }

    public Task<SaveResult> DeleteAsync(int id, uint version, CancellationToken ct = default) =>
        writer.SaveAsync(DateTimeOffset.UtcNow, async (edit, token) =>
        {
            var db = edit.Db;
            var model = await db.ModelReleases.Include(x => x.Company).FirstOrDefaultAsync(x => x.Id == id, token);
            if (model is null)
            {
                return SaveResult.NotFound("This model release has already been deleted.");
            }
            edit.ExpectVersion(model, version, overwrite: false);
            await RecordSources.RemoveAllAsync(db, RecordType.ModelRelease, id, token);
            db.ModelReleases.Remove(model);
            edit.CompanyId = model.CompanyId;
            edit.Summary = $"Deleted model {model.Name} of {model.Company.NameEn}";
            return null;
        }, ct);

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
