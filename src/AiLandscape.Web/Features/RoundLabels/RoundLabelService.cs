using System.Linq.Expressions;
using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.RoundLabels;

/// <summary>
/// The table that maps round labels as announced ("天使轮", "Pre-A轮", "strategic") to standard stages: reading it,
/// looking labels up for the round form and the CSV import, and editors' audited changes to it.
/// </summary>
public sealed class RoundLabelService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer) : IEditService<RoundLabelRequest>
{
    /// <summary>Stages are stored by name: a CASE gives SQL their enum order (Angel before Series A), not the alphabet's.</summary>
    private static readonly Expression<Func<RoundLabelMapping, int>> StageRank = BuildStageRank();

    /// <summary>One page of the table, filtered by label (folded like a look-up) or stage name, in two commands.</summary>
    public async Task<RoundLabelListResult> ListAsync(RoundLabelQuery q, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = db.RoundLabelMappings.AsNoTracking();
        var text = RoundLabels.Normalize(q.Text);
        if (text.Length > 0)
        {
            // "series b" finds the Series B rows as well as labels containing it.
            var stages = Enum.GetValues<RoundStage>()
                .Where(s => RoundLabels.Normalize(Format.Stage(s)).Contains(text, StringComparison.Ordinal)).ToList();
            rows = rows.Where(x => x.NormalizedLabel.Contains(text) || stages.Contains(x.Stage));
        }
        var total = await rows.CountAsync(ct);
        var pageSize = Math.Clamp(q.PageSize, 1, 500);
        var items = await rows.OrderBy(StageRank).ThenBy(x => x.NormalizedLabel)
            .Skip(Math.Max(0, q.Page) * pageSize).Take(pageSize)
            .Select(x => new RoundLabelRow(x.Id, x.Label, x.Stage, x.Notes))
            .ToListAsync(ct);
        return new RoundLabelListResult(items, total);
    }

    /// <summary>The stage the table gives a label, or null when it does not know the label (one command).</summary>
    public async Task<RoundLabelMatch?> MatchAsync(string? label, CancellationToken ct = default)
    {
        var key = RoundLabels.Normalize(label);
        if (key.Length == 0)
        {
            return null;
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.RoundLabelMappings.AsNoTracking().Where(x => x.NormalizedLabel == key)
            .Select(x => new RoundLabelMatch(x.Label, x.Stage)).FirstOrDefaultAsync(ct);
    }

    public async Task<RoundStage?> StageForAsync(string? label, CancellationToken ct = default) =>
        (await MatchAsync(label, ct))?.Stage;

    /// <summary>The stages of many labels at once (an import file's), keyed by folded label: one command.</summary>
    public static async Task<IReadOnlyDictionary<string, RoundStage>> StagesForAsync(AppDbContext db, IEnumerable<string?> labels,
        CancellationToken ct = default)
    {
        var keys = labels.Select(RoundLabels.Normalize).Where(k => k.Length > 0).Distinct().ToList();
        if (keys.Count == 0)
        {
            return new Dictionary<string, RoundStage>();
        }
        return await db.RoundLabelMappings.AsNoTracking().Where(x => keys.Contains(x.NormalizedLabel))
            .ToDictionaryAsync(x => x.NormalizedLabel, x => x.Stage, ct);
    }

    public async Task<RoundLabelRequest?> EditAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var loadedAt = DateTimeOffset.UtcNow;
        return await db.RoundLabelMappings.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new RoundLabelRequest { Id = x.Id, Version = x.Version, LoadedAt = loadedAt, Label = x.Label, Stage = x.Stage, Notes = x.Notes })
            .FirstOrDefaultAsync(ct);
    }

    public async Task<SaveResult> SaveAsync(RoundLabelRequest r, CancellationToken ct = default)
    {
        writer.EnsureCanEdit(); // before validating: a refused user learns nothing about the data
        var v = new Validator();
        r.Validate(v);
        if (!v.IsValid)
        {
            return SaveResult.Invalid(v.Errors);
        }
        var label = r.Label!.Trim();
        var key = RoundLabels.Normalize(label);
        var notes = string.IsNullOrWhiteSpace(r.Notes) ? null : r.Notes.Trim();
        return await writer.SaveAsync(r.LoadedAt, async (edit, token) =>
        {
            var db = edit.Db;
            var twin = await db.RoundLabelMappings.AsNoTracking().Where(x => x.NormalizedLabel == key && x.Id != r.Id)
                .Select(x => new { x.Label, x.Stage }).FirstOrDefaultAsync(token);
            if (twin is not null)
            {
                // Look-ups fold labels, so "Ａ轮" and "A轮" are one label: two rows could give it two stages.
                return SaveResult.Invalid(nameof(r.Label),
                    $"Label: “{label}” is already in the table as “{twin.Label}” ({Format.Stage(twin.Stage)}); labels are compared ignoring case, spaces and full-width letters. Edit that one instead.");
            }
            RoundLabelMapping mapping;
            if (r.Id is { } id)
            {
                var existing = await db.RoundLabelMappings.FirstOrDefaultAsync(x => x.Id == id, token);
                if (existing is null)
                {
                    return SaveResult.NotFound("This label has been deleted by another editor.");
                }
                mapping = existing;
                edit.ExpectVersion(mapping, r.Version, r.Overwrite);
            }
            else
            {
                mapping = new RoundLabelMapping { Label = label, NormalizedLabel = key };
                db.RoundLabelMappings.Add(mapping);
            }
            mapping.Label = label;
            mapping.NormalizedLabel = key;
            mapping.Stage = r.Stage!.Value;
            mapping.Notes = notes;
            edit.Subject = mapping;
            edit.Summary = $"{(r.Id is null ? "Added" : "Changed")} round label “{label}” → {Format.Stage(mapping.Stage)}";
            return null;
        }, ct);
    }

    /// <summary>Rounds keep their stage: the table only suggests stages for labels typed from now on.</summary>
    public Task<SaveResult> DeleteAsync(int id, uint version, CancellationToken ct = default) =>
        writer.SaveAsync(DateTimeOffset.UtcNow, async (edit, token) =>
        {
            var db = edit.Db;
            var mapping = await db.RoundLabelMappings.FirstOrDefaultAsync(x => x.Id == id, token);
            if (mapping is null)
            {
                return SaveResult.NotFound("This label has already been deleted.");
            }
            edit.ExpectVersion(mapping, version, overwrite: false);
            db.RoundLabelMappings.Remove(mapping);
            edit.Summary = $"Deleted round label “{mapping.Label}” ({Format.Stage(mapping.Stage)})";
            return null;
        }, ct);

    private static Expression<Func<RoundLabelMapping, int>> BuildStageRank()
    {
        var x = Expression.Parameter(typeof(RoundLabelMapping), "x");
        var stage = Expression.Property(x, nameof(RoundLabelMapping.Stage));
        var stages = Enum.GetValues<RoundStage>();
        Expression rank = Expression.Constant(stages.Length);
        for (var i = stages.Length - 1; i >= 0; i--)
        {
            rank = Expression.Condition(Expression.Equal(stage, Expression.Constant(stages[i])), Expression.Constant(i), rank);
        }
        return Expression.Lambda<Func<RoundLabelMapping, int>>(rank, x);
    }
}
