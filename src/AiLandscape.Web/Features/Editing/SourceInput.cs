using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Editing;

/// <summary>A source on an edit form: an existing one (<see cref="SourceId"/>) or a new one typed in place.</summary>
public sealed class SourceInput
{
    public int? SourceId { get; set; }
    public string? Url { get; set; }
    public string? Title { get; set; }
    public string? Publisher { get; set; }
    /// <summary>YYYY, YYYY-MM or YYYY-MM-DD.</summary>
    public string? PublishedOn { get; set; }
    /// <summary>What the new source is; not chosen, it is stored as Other and counts as weak evidence.</summary>
    public SourceKind? Kind { get; set; }
    /// <summary>BCP 47 tag of a new source: en, zh, zh-Hans.</summary>
    public string? Language { get; set; }

    public bool IsNew => SourceId is null;
}

/// <summary>An existing source offered by the picker.</summary>
public sealed record SourceOption(int Id, string? Title, string? Publisher, string? Url, DateOnly? PublishedOn)
{
    public string Label => $"{Title ?? Url ?? $"Source #{Id}"}{(Publisher is null ? "" : $" · {Publisher}")}{(PublishedOn is { } d ? $" · {d:yyyy-MM-dd}" : "")}";
}

/// <summary>
/// The sources of one record, as its edit form lists them: each listed source gets a citation of the record,
/// a source taken off the list loses all its citations of the record. Field-level citations (reported values)
/// of a source that stays are kept.
/// </summary>
public static class RecordSources
{
    public const string Field = "Sources";

    public static async Task<List<SourceInput>> LoadAsync(AppDbContext db, RecordType type, int id, CancellationToken ct) =>
        await db.Citations.AsNoTracking()
            .Where(c => c.RecordType == type && c.RecordId == id)
            .Select(c => c.Source)
            .Distinct()
            .OrderBy(s => s.PublishedOn).ThenBy(s => s.Id)
            .Select(s => new SourceInput { SourceId = s.Id, Url = s.Url, Title = s.Title, Publisher = s.Publisher })
            .ToListAsync(ct);

    public static void Validate(Validator v, IReadOnlyList<SourceInput> sources, bool required)
    {
        if (required && sources.Count == 0)
        {
            v.Error(Field, "Sources: add at least one source for the figures on this form.");
        }
        for (var i = 0; i < sources.Count; i++)
        {
            var s = sources[i];
            if (!s.IsNew)
            {
                continue;
            }
            var n = $"New source {i + 1}";
            v.Required($"Sources[{i}].Url", $"{n}: URL", s.Url)
                .HttpUrl($"Sources[{i}].Url", $"{n}: URL", s.Url)
                .Required($"Sources[{i}].Title", $"{n}: title", s.Title)
                .MaxLength($"Sources[{i}].Title", $"{n}: title", s.Title, 500)
                .MaxLength($"Sources[{i}].Publisher", $"{n}: publisher", s.Publisher, 200)
                .PartialDate($"Sources[{i}].PublishedOn", $"{n}: published", s.PublishedOn, required: false)
                .Language($"Sources[{i}].Language", $"{n}: language", s.Language);
        }
        var duplicate = sources.Where(s => s.SourceId is not null).GroupBy(s => s.SourceId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            v.Error(Field, "Sources: the same source is listed twice.");
        }
    }

    /// <summary>Checks that picked sources still exist; an error names the first that does not.</summary>
    public static async Task<FieldMessage?> CheckExistAsync(AppDbContext db, IReadOnlyList<SourceInput> sources, CancellationToken ct)
    {
        var ids = sources.Where(s => s.SourceId is not null).Select(s => s.SourceId!.Value).Distinct().ToList();
        var found = await db.Sources.Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        var missing = ids.Except(found).ToList();
        if (missing.Count > 0)
        {
            return new FieldMessage(Field, $"Sources: source #{missing[0]} has been deleted; pick another.");
        }
        // A source typed in again would be a second row for one document: point the editor at the first.
        var urls = sources.Where(s => s.IsNew && !string.IsNullOrWhiteSpace(s.Url)).Select(s => s.Url!.Trim()).ToList();
        var known = await db.Sources.AsNoTracking().Where(s => urls.Contains(s.Url!))
            .Select(s => new { s.Url, s.Title }).ToListAsync(ct);
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i].IsNew && known.FirstOrDefault(k => k.Url == sources[i].Url?.Trim()) is { } twin)
            {
                return new FieldMessage($"Sources[{i}].Url",
                    $"New source {i + 1}: URL is already the source “{twin.Title ?? twin.Url}”; add that one from the list instead.");
            }
        }
        return null;
    }

    /// <summary>Writes the record's citations to match the list; for a new record once it has its id.</summary>
    public static async Task ApplyAsync(EditContext edit, RecordType type, object record, int? existingId,
        IReadOnlyList<SourceInput> sources, CancellationToken ct)
    {
        var db = edit.Db;
        var current = existingId is { } id
            ? await db.Citations.Where(c => c.RecordType == type && c.RecordId == id).ToListAsync(ct)
            : [];
        var keep = sources.Where(s => s.SourceId is not null).Select(s => s.SourceId!.Value).ToHashSet();
        db.Citations.RemoveRange(current.Where(c => !keep.Contains(c.SourceId)));
        var cited = current.Select(c => c.SourceId).ToHashSet();

        var toCite = new List<Citation>();
        foreach (var s in sources)
        {
            if (s.SourceId is { } sourceId)
            {
                if (!cited.Contains(sourceId))
                {
                    toCite.Add(new Citation { SourceId = sourceId, RecordType = type });
                }
                continue;
            }
            var published = PartialDates.TryParse(s.PublishedOn, out var date, out var precision);
            var source = new Source
            {
                Url = s.Url!.Trim(),
                Title = s.Title!.Trim(),
                Publisher = string.IsNullOrWhiteSpace(s.Publisher) ? null : s.Publisher.Trim(),
                PublishedOn = published ? date : null,
                PublishedPrecision = published ? precision : DatePrecision.Day,
                Kind = s.Kind ?? SourceKind.Other,
                Language = string.IsNullOrWhiteSpace(s.Language) ? null : s.Language.Trim(),
            };
            db.Sources.Add(source);
            toCite.Add(new Citation { Source = source, RecordType = type });
        }
        if (toCite.Count == 0)
        {
            return;
        }
        if (existingId is { } known)
        {
            toCite.ForEach(c => c.RecordId = known);
            db.Citations.AddRange(toCite);
        }
        else
        {
            edit.OnSaved(() =>
            {
                var newId = (int)db.Entry(record).Property("Id").CurrentValue!;
                toCite.ForEach(c => c.RecordId = newId);
                db.Citations.AddRange(toCite);
            });
        }
    }

    /// <summary>Removes every citation of a record being deleted (they point at it by type and id).</summary>
    public static async Task RemoveAllAsync(AppDbContext db, RecordType type, int id, CancellationToken ct) =>
        db.Citations.RemoveRange(await db.Citations.Where(c => c.RecordType == type && c.RecordId == id).ToListAsync(ct));

    /// <summary>Existing sources whose title, publisher, URL or key contains the text: the picker's suggestions.</summary>
    public static async Task<IReadOnlyList<SourceOption>> SearchAsync(AppDbContext db, string? text, CancellationToken ct)
    {
        var sources = db.Sources.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(text))
        {
            var pattern = "%" + Search.TextSearch.EscapeLike(text.Trim()) + "%";
            sources = sources.Where(s => EF.Functions.ILike(s.SearchText, pattern, "\\"));
        }
        return await sources.OrderByDescending(s => s.PublishedOn).ThenByDescending(s => s.Id).Take(20)
            .Select(s => new SourceOption(s.Id, s.Title, s.Publisher, s.Url, s.PublishedOn))
            .ToListAsync(ct);
    }
}
