using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Events;

/// <summary>Adding, correcting and deleting company events (pivots, filings, listings) with their sources.</summary>
public sealed class EventEditService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer) : IEditService<EventRequest>
{
    public async Task<EventForm?> NewAsync(string companySlug, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var company = await db.Companies.AsNoTracking().Where(c => c.Slug == companySlug)
            .Select(c => new { c.Id, c.Slug, c.NameEn }).FirstOrDefaultAsync(ct);
        return company is null ? null : new EventForm(new EventRequest { CompanyId = company.Id }, company.Slug, company.NameEn);
    }

    public async Task<EventForm?> EditAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var loadedAt = DateTimeOffset.UtcNow;
        var row = await db.CompanyEvents.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { Event = x, x.Company.Slug, x.Company.NameEn })
            .FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }
        var x = row.Event;
        var request = new EventRequest
        {
            Id = x.Id, Version = x.Version, LoadedAt = loadedAt, CompanyId = x.CompanyId,
            OccurredOn = PartialDates.Write(x.OccurredOn, x.Precision), Kind = x.Kind, Title = x.Title, Summary = x.Summary,
            FocusBefore = x.FocusBefore, FocusAfter = x.FocusAfter,
            Sources = await RecordSources.LoadAsync(db, RecordType.CompanyEvent, id, ct),
        };
        return new EventForm(request, row.Slug, row.NameEn);
    }

    public async Task<IReadOnlyList<SourceOption>> SearchSourcesAsync(string? text, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await RecordSources.SearchAsync(db, text, ct);
    }

    public async Task<SaveResult> SaveAsync(EventRequest r, CancellationToken ct = default)
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

            CompanyEvent ev;
            if (r.Id is { } id)
            {
                var existing = await db.CompanyEvents.FirstOrDefaultAsync(x => x.Id == id, token);
                if (existing is null || existing.CompanyId != r.CompanyId)
                {
                    return SaveResult.NotFound("This event has been deleted by another editor.");
                }
                ev = existing;
                edit.ExpectVersion(ev, r.Version, r.Overwrite);
            }
            else
            {
                ev = new CompanyEvent { CompanyId = r.CompanyId, Title = r.Title!.Trim() };
                db.CompanyEvents.Add(ev);
            }

            PartialDates.TryParse(r.OccurredOn, out var occurredOn, out var precision);
            ev.OccurredOn = occurredOn;
            ev.Precision = precision;
            ev.Kind = r.Kind;
            ev.Title = r.Title!.Trim();
            ev.Summary = Clean(r.Summary);
            ev.FocusBefore = Clean(r.FocusBefore);
            ev.FocusAfter = Clean(r.FocusAfter);
            await RecordSources.ApplyAsync(edit, RecordType.CompanyEvent, ev, r.Id, r.Sources, token);

            edit.Subject = ev;
            edit.CompanyId = r.CompanyId;
            edit.Summary = $"{(r.Id is null ? "Added" : "Changed")} event \"{ev.Title}\" of {company.NameEn}";
            return null;
        }, ct);
    }

    public Task<SaveResult> DeleteAsync(int id, uint version, CancellationToken ct = default) =>
        writer.SaveAsync(DateTimeOffset.UtcNow, async (edit, token) =>
        {
            var db = edit.Db;
            var ev = await db.CompanyEvents.Include(x => x.Company).FirstOrDefaultAsync(x => x.Id == id, token);
            if (ev is null)
            {
                return SaveResult.NotFound("This event has already been deleted.");
            }
            edit.ExpectVersion(ev, version, overwrite: false);
            await RecordSources.RemoveAllAsync(db, RecordType.CompanyEvent, id, token);
            db.CompanyEvents.Remove(ev);
            edit.CompanyId = ev.CompanyId;
            edit.Summary = $"Deleted event \"{ev.Title}\" of {ev.Company.NameEn}";
            return null;
        }, ct);

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
