using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.ExchangeRates;

/// <summary>
/// The stored monthly exchange rates, and adding, correcting and deleting them. Every company's US$ figures are
/// derived with these rates, so each change refreshes them all in the same transaction.
/// </summary>
public sealed class ExchangeRateEditService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer) : IEditService<ExchangeRateRequest>
{
    public async Task<ExchangeRateListResult> ListAsync(ExchangeRateQuery q, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rates = db.ExchangeRates.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q.Currency))
        {
            rates = rates.Where(x => x.Currency == q.Currency);
        }
        var total = await rates.CountAsync(ct);
        var pageSize = Math.Clamp(q.PageSize, 1, 500);
        var items = await rates.OrderBy(x => x.Currency).ThenByDescending(x => x.Month)
            .Skip(Math.Max(0, q.Page) * pageSize).Take(pageSize)
            .Select(x => new ExchangeRateListRow(x.Id, x.Currency, x.Month, x.UnitsPerUsd, x.SourceId,
                x.Source == null ? null : x.Source.Title ?? x.Source.Publisher ?? x.Source.Url))
            .ToListAsync(ct);
        return new ExchangeRateListResult(items.Select(x => x with { Currency = x.Currency.Trim() }).ToList(), total);
    }

    public static ExchangeRateRequest New() => new();

    public async Task<ExchangeRateRequest?> EditAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var loadedAt = DateTimeOffset.UtcNow;
        var x = await db.ExchangeRates.AsNoTracking().Where(r => r.Id == id)
            .Select(r => new
            {
                r.Id, r.Version, r.Currency, r.Month, r.UnitsPerUsd, r.SourceId,
                Source = r.Source == null ? null : new SourceOption(r.Source.Id, r.Source.Title, r.Source.Publisher, r.Source.Url, r.Source.PublishedOn),
            })
            .FirstOrDefaultAsync(ct);
        return x is null ? null : new ExchangeRateRequest
        {
            Id = x.Id, Version = x.Version, LoadedAt = loadedAt, Currency = x.Currency.Trim(), Month = x.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
            UnitsPerUsd = Decimals.Plain(x.UnitsPerUsd), SourceId = x.SourceId, SourceLabel = x.Source?.Label,
        };
    }

    public async Task<IReadOnlyList<SourceOption>> SearchSourcesAsync(string? text, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await RecordSources.SearchAsync(db, text, ct);
    }

    public async Task<SaveResult> SaveAsync(ExchangeRateRequest r, CancellationToken ct = default)
    {
        writer.EnsureCanEdit(); // before validating: a refused user learns nothing about the data
        var v = new Validator();
        r.Validate(v);
        if (!v.IsValid)
        {
            return SaveResult.Invalid(v.Errors);
        }
        var month = ExchangeRateRequest.ParseMonth(r.Month)!.Value;
        return await writer.SaveAsync(r.LoadedAt, async (edit, token) =>
        {
            var db = edit.Db;
            var twin = await db.ExchangeRates.AsNoTracking()
                .Where(x => x.Currency == r.Currency && x.Month == month && x.Id != r.Id)
                .Select(x => new { x.Id, x.UnitsPerUsd }).FirstOrDefaultAsync(token);
            if (twin is not null)
            {
                return SaveResult.Invalid(nameof(r.Month),
                    $"Month: there is already a {r.Currency} rate for {month:yyyy-MM} ({twin.UnitsPerUsd} per US$); edit that one instead.");
            }
            if (!await db.Sources.AnyAsync(s => s.Id == r.SourceId, token))
            {
                return SaveResult.Invalid(nameof(r.SourceId), $"Source: source #{r.SourceId} has been deleted; pick another.");
            }

            ExchangeRate rate;
            if (r.Id is { } id)
            {
                var existing = await db.ExchangeRates.FirstOrDefaultAsync(x => x.Id == id, token);
                if (existing is null)
                {
                    return SaveResult.NotFound("This exchange rate has been deleted by another editor.");
                }
                rate = existing;
                edit.ExpectVersion(rate, r.Version, r.Overwrite);
            }
            else
            {
                rate = new ExchangeRate { Currency = r.Currency };
                db.ExchangeRates.Add(rate);
            }
            rate.Currency = r.Currency;
            rate.Month = month;
            rate.UnitsPerUsd = r.UnitsPerUsd!.Value;
            rate.SourceId = r.SourceId;

            edit.Subject = rate;
            edit.RefreshAllFigures();
            edit.Summary = $"{(r.Id is null ? "Added" : "Changed")} {r.Currency} exchange rate for {month:yyyy-MM}: {rate.UnitsPerUsd} per US$";
            return null;
        }, ct);
    }

    public Task<SaveResult> DeleteAsync(int id, uint version, CancellationToken ct = default) =>
        writer.SaveAsync(DateTimeOffset.UtcNow, async (edit, token) =>
        {
            var db = edit.Db;
            var rate = await db.ExchangeRates.FirstOrDefaultAsync(x => x.Id == id, token);
            if (rate is null)
            {
                return SaveResult.NotFound("This exchange rate has already been deleted.");
            }
            edit.ExpectVersion(rate, version, overwrite: false);
            db.ExchangeRates.Remove(rate);
            edit.RefreshAllFigures();
            edit.Summary = $"Deleted {rate.Currency.Trim()} exchange rate for {rate.Month:yyyy-MM}";
            return null;
        }, ct);
}
