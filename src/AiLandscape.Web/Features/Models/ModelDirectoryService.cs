using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Models;

/// <summary>
/// The /models directory: every model release, filtered, sorted and paged in SQL. With a <see cref="ChangeKeyedCache"/>
/// (given by DI) the filters' choices and the unfiltered count are computed once per data version (ADR 0023).
/// </summary>
public sealed class ModelDirectoryService([FromKeyedServices(ReplicaReads.Key)] IDbContextFactory<AppDbContext> factory,
    ChangeKeyedCache? cache = null)
{
    /// <summary>A page of model releases: two SQL commands (count or data version, page) whatever the number of models.</summary>
    public async Task<PagedResult<ModelRow>> ListAsync(ModelQuery query, CancellationToken ct = default)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, 100);
        var page = Math.Max(query.Page, 0);
        await using var db = await factory.CreateDbContextAsync(ct);
        var models = Matching(db, query);
        var unfiltered = query is { Company: null, Year: null, OpenWeights: null, Licence: null };
        var total = unfiltered && cache is not null
            ? await cache.GetOrComputeAsync(db, "model count", t => models.CountAsync(t), ct)
            : await models.CountAsync(ct);
        var items = await Sorted(models, query).Skip(page * pageSize).Take(pageSize).Select(Row).ToListAsync(ct);
        return new PagedResult<ModelRow>(items, total);
    }

    /// <summary>
    /// The companies, years and licences some model has, for the filters: three SQL commands that read every model,
    /// once per data version with a cache.
    /// </summary>
    public async Task<ModelFacets> FacetsAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return cache is null ? await ComputeFacetsAsync(db, ct)
            : await cache.GetOrComputeAsync(db, "model facets", t => ComputeFacetsAsync(db, t), ct);
    }

    private static async Task<ModelFacets> ComputeFacetsAsync(AppDbContext db, CancellationToken ct)
    {
        var companies = await db.Companies.AsNoTracking()
            .Where(c => db.ModelReleases.Any(m => m.CompanyId == c.Id))
            .OrderBy(c => c.NameEn)
            .Select(c => new ModelCompanyOption(c.Slug, c.NameEn, c.NameZh))
            .ToListAsync(ct);
        var years = await db.ModelReleases.AsNoTracking()
            .Where(m => m.ReleasedOn != null)
            .Select(m => m.ReleasedOn!.Value.Year).Distinct().OrderByDescending(y => y)
            .ToListAsync(ct);
        var licences = await db.ModelReleases.AsNoTracking()
            .Where(m => m.Licence != null)
            .Select(m => m.Licence!).Distinct().OrderBy(l => l)
            .ToListAsync(ct);
        return new ModelFacets(companies, years, licences);
    }

    /// <summary>The releases a query's filters keep (no order, no page): the directory and its CSV export share it.</summary>
    public static IQueryable<ModelRelease> Matching(AppDbContext db, ModelQuery query)
    {
        var models = db.ModelReleases.AsNoTracking();
        if (query.Company is { } slug)
        {
            models = models.Where(m => m.Company.Slug == slug);
        }
        if (query.Year is { } year)
        {
            models = models.Where(m => m.ReleasedOn != null && m.ReleasedOn.Value.Year == year);
        }
        models = query.OpenWeights switch
        {
            OpenWeightsFilter.Yes => models.Where(m => m.OpenWeights == true),
            OpenWeightsFilter.No => models.Where(m => m.OpenWeights == false),
            OpenWeightsFilter.Unknown => models.Where(m => m.OpenWeights == null),
            _ => models,
        };
        if (query.Licence is { } licence)
        {
            models = models.Where(m => m.Licence == licence);
        }
        return models;
    }

    /// <summary>
    /// The query's order. Undated releases and empty values go last in both directions ("not reported" is neither the
    /// smallest nor the largest); ties fall back to newest first, then name and id, so pages never overlap.
    /// </summary>
    public static IQueryable<ModelRelease> Sorted(IQueryable<ModelRelease> models, ModelQuery query)
    {
        var d = query.Descending;
        var ordered = query.Sort switch
        {
            ModelSort.Name => d ? models.OrderByDescending(m => m.Name) : models.OrderBy(m => m.Name),
            ModelSort.Company => d ? models.OrderByDescending(m => m.Company.NameEn) : models.OrderBy(m => m.Company.NameEn),
            ModelSort.OpenWeights => d
                ? models.OrderBy(m => m.OpenWeights == null).ThenByDescending(m => m.OpenWeights)
                : models.OrderBy(m => m.OpenWeights == null).ThenBy(m => m.OpenWeights),
            ModelSort.Licence => d
                ? models.OrderBy(m => m.Licence == null).ThenByDescending(m => m.Licence)
                : models.OrderBy(m => m.Licence == null).ThenBy(m => m.Licence),
            _ => d
                ? models.OrderBy(m => m.ReleasedOn == null).ThenByDescending(m => m.ReleasedOn)
                : models.OrderBy(m => m.ReleasedOn == null).ThenBy(m => m.ReleasedOn),
        };
        return ordered.ThenBy(m => m.ReleasedOn == null).ThenByDescending(m => m.ReleasedOn).ThenBy(m => m.Name).ThenBy(m => m.Id);
    }

    public static readonly System.Linq.Expressions.Expression<Func<ModelRelease, ModelRow>> Row = m => new ModelRow(
        m.Id, m.Name, m.Company.Slug, m.Company.NameEn, m.Company.NameZh, m.ReleasedOn, m.Precision, m.OpenWeights,
        m.Licence, m.Size, m.Modality);
}
