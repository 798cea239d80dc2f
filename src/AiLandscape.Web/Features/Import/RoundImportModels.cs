using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Rounds;

namespace AiLandscape.Web.Features.Import;

public enum ImportRowStatus
{
    /// <summary>Valid and not in the data yet: committed.</summary>
    New,
    /// <summary>The same round is already stored (or earlier in the file): never written.</summary>
    Duplicate,
    /// <summary>Breaks a rule: <see cref="ImportRow.Errors"/> names the column and the rule.</summary>
    Error,
    /// <summary>A name matched several records, or an investor is unknown: the editor chooses.</summary>
    NeedsChoice,
}

/// <summary>A problem with one cell of a row (or the file, with no row): the column and the rule.</summary>
public sealed record ImportProblem(string Column, string Message)
{
    public override string ToString() => Column.Length == 0 ? Message : $"{Column}: {Message}";
}

public sealed record NameCandidate(int Id, string Slug, string NameEn, string? NameZh)
{
    public string Label => NameZh is null ? NameEn : $"{NameEn} · {NameZh}";
}

/// <summary>A company or investor name from a cell, the records it matched and the editor's choice.</summary>
public sealed class NameMatch
{
    public required string Column { get; init; }
    public required string Name { get; init; }
    public bool IsLead { get; init; }
    public IReadOnlyList<NameCandidate> Candidates { get; set; } = [];
    /// <summary>The editor's pick when the name matched several records.</summary>
    public int? ChosenId { get; set; }
    /// <summary>Investors only: the editor chose to add an unknown investor with this name.</summary>
    public bool CreateNew { get; set; }

    public bool IsAmbiguous => Candidates.Count > 1;
    public bool IsUnknown => Candidates.Count == 0;

    public NameCandidate? Resolved => Candidates.Count == 1 ? Candidates[0]
        : Candidates.FirstOrDefault(c => c.Id == ChosenId);

    public bool IsSettled => Resolved is not null || (IsUnknown && CreateNew);
}

/// <summary>One data row of the file with its status once checked against the stored data.</summary>
public sealed class ImportRow
{
    /// <summary>The line of the file the row starts on (the header is line 1).</summary>
    public int Line { get; init; }
    public required IReadOnlyDictionary<string, string> Cells { get; init; }
    public ImportRowStatus Status { get; internal set; }
    public List<ImportProblem> Errors { get; } = [];
    public List<ImportProblem> Warnings { get; } = [];
    /// <summary>The stored round this row repeats, described ("#12 Moonshot AI Series B, 2024-02, ≥ US$1B").</summary>
    public string? DuplicateOf { get; internal set; }
    public int? DuplicateRoundId { get; internal set; }
    public NameMatch? Company { get; internal set; }
    public List<NameMatch> Investors { get; } = [];
    /// <summary>"Series B · 2024-02 · US$1B", for the preview.</summary>
    public string Summary { get; internal set; } = "";

    /// <summary>Problems found while reading the cells (numbers, stage names): they do not change with choices.</summary>
    internal List<ImportProblem> ParseErrors { get; } = [];
    internal RoundRequest? Request { get; set; }

    public string Cell(string column) => Cells.GetValueOrDefault(column, "");
}

/// <summary>A checked file: its rows with their status, or why the file as a whole cannot be read.</summary>
public sealed class ImportPreview
{
    public required string FileName { get; init; }
    public IReadOnlyList<ImportRow> Rows { get; init; } = [];
    public IReadOnlyList<ImportProblem> FileErrors { get; init; } = [];
    /// <summary>Columns the import does not know (read-only export columns are not listed): they are ignored.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; init; } = [];
    public DateTimeOffset LoadedAt { get; init; } = DateTimeOffset.UtcNow;

    public int Count(ImportRowStatus status) => Rows.Count(r => r.Status == status);
    public bool CanCommit => FileErrors.Count == 0 && Count(ImportRowStatus.New) > 0;
}

/// <param name="Save">Saved, or why nothing was written.</param>
/// <param name="RoundIds">The rounds written, in file order.</param>
public sealed record ImportCommitResult(SaveResult Save, IReadOnlyList<int> RoundIds, IReadOnlyList<string> CompanySlugs)
{
    public bool Succeeded => Save.Succeeded;
}
