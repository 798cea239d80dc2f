using System.Text.Json;

namespace AiLandscape.Web.Features.Editing;

/// <summary>A message about one field of a form: <c>Field</c> is the request property's name.</summary>
public sealed record FieldMessage(string Field, string Message);

public enum SaveStatus { Saved, Invalid, NeedsConfirmation, Conflict, NotFound }

/// <summary>What a write did: saved (with the record's id and slug), or why nothing was written.</summary>
public sealed record SaveResult(SaveStatus Status)
{
    public int? Id { get; init; }
    public string? Slug { get; init; }
    public IReadOnlyList<FieldMessage> Errors { get; init; } = [];
    /// <summary>Things to confirm before saving (a post-money below the amount, a likely duplicate).</summary>
    public IReadOnlyList<FieldMessage> Warnings { get; init; } = [];
    public ConflictInfo? Conflict { get; init; }

    public bool Succeeded => Status == SaveStatus.Saved;

    public static SaveResult Saved(int id, string? slug = null) => new(SaveStatus.Saved) { Id = id, Slug = slug };
    public static SaveResult Invalid(IEnumerable<FieldMessage> errors) => new(SaveStatus.Invalid) { Errors = errors.ToList() };
    public static SaveResult Invalid(string field, string message) => Invalid([new FieldMessage(field, message)]);
    public static SaveResult Confirm(IEnumerable<FieldMessage> warnings) => new(SaveStatus.NeedsConfirmation) { Warnings = warnings.ToList() };
    public static SaveResult NotFound(string message) => new(SaveStatus.NotFound) { Errors = [new FieldMessage("", message)] };

    /// <summary>The first error about a field, for the form to show under it.</summary>
    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;
}

/// <summary>
/// Another editor saved the record after this form was opened: what they changed (from the audit trail), so the
/// editor can choose to reload or to overwrite deliberately.
/// </summary>
public sealed record ConflictInfo(string RecordLabel, IReadOnlyList<ChangeBy> Changes);

public sealed record ChangeBy(string? UserName, DateTimeOffset At, IReadOnlyList<FieldChange> Fields);

/// <summary>One field's old and new value as stored in the audit trail (JSON values, null when absent).</summary>
public sealed record FieldChange(string Field, JsonElement? Old, JsonElement? New);

/// <summary>What every edit form sends besides its fields.</summary>
public abstract class EditRequest
{
    /// <summary>The record's id; null for a new record.</summary>
    public abstract int? Id { get; set; }

    /// <summary>The record's xmin when the form was loaded; 0 for a new record.</summary>
    public uint Version { get; set; }
    /// <summary>When the form was loaded: a conflict shows the changes others made since.</summary>
    public DateTimeOffset LoadedAt { get; set; } = DateTimeOffset.UtcNow;
    /// <summary>The editor chose to overwrite another editor's change.</summary>
    public bool Overwrite { get; set; }
    /// <summary>The editor confirmed the warnings (post-money below the amount, a likely duplicate).</summary>
    public bool Confirmed { get; set; }

    /// <summary>
    /// Fields whose typed text the form could not read into a value (an amount such as "1.5 bilion"), with the
    /// message naming what the field expects. The form keeps the text; <see cref="Validate"/> reports these first.
    /// Form state only: not part of the API.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Dictionary<string, string> UnreadableInput { get; } = [];

    /// <summary>The rules that need no database: the form runs them as the editor types, the service again.</summary>
    public abstract void Validate(Validator v);
}

/// <summary>What the write API needs of an area's edit service (the forms call the same methods).</summary>
public interface IEditService<in TRequest> where TRequest : EditRequest
{
    Task<SaveResult> SaveAsync(TRequest request, CancellationToken ct = default);
    Task<SaveResult> DeleteAsync(int id, uint version, CancellationToken ct = default);
}
