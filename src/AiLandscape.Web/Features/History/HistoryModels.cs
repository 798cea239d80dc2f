using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.History;

/// <summary>Filters of the /history page and the profiles' History tabs.</summary>
public sealed record HistoryQuery(
    string? UserName = null,
    RecordType? RecordType = null,
    DateOnly? From = null,
    DateOnly? To = null,
    int? CompanyId = null,
    RecordType? OfRecordType = null,
    int? OfRecordId = null,
    int Page = 0,
    int PageSize = 50);

/// <summary>One audit entry: one record's change within a saved change set.</summary>
/// <param name="Label">The record in words ("StepFun's Series C round, 26 Jan 2026"), when the change set was worded.</param>
/// <param name="Link">Where the record can be opened, when it still exists.</param>
public sealed record HistoryRow(
    long Id,
    DateTimeOffset At,
    string? UserName,
    AuditAction Action,
    RecordType RecordType,
    int RecordId,
    string? Summary,
    Guid ChangeSetId,
    long? RevertsEntryId,
    bool IsReverted,
    IReadOnlyList<FieldChange> Changes,
    string? Label = null,
    HistoryLink? Link = null,
    IReadOnlyList<HistoryField>? Fields = null);

/// <summary>A changed field in words: "Investor: — → Tencent".</summary>
public sealed record HistoryField(string Name, string? Old, string? New);

/// <summary>
/// A link to a record from the history. <paramref name="Href"/> is for everyone; <paramref name="EditorHref"/>, where
/// set, is the better target for editors (a source's or an exchange rate's edit page, which analysts cannot open).
/// </summary>
public sealed record HistoryLink(string Text, string? Href, string? EditorHref = null)
{
    public string? HrefFor(bool canEdit) => canEdit ? EditorHref ?? Href : Href;
}

/// <summary>
/// One saved change (all audit entries of one save share its id), as the history shows it: a sentence, links to the
/// records it touched, its entries with their field diffs, and whether it has been reverted.
/// </summary>
/// <param name="EntryCount">All entries of the set; <see cref="Entries"/> holds at most <see cref="HistoryService.EntriesShown"/>.</param>
public sealed record ChangeSetRow(
    Guid ChangeSetId,
    DateTimeOffset At,
    string? UserName,
    string Sentence,
    string? Summary,
    IReadOnlyList<HistoryLink> Links,
    IReadOnlyList<HistoryRow> Entries,
    int EntryCount,
    bool IsRevert,
    bool IsReverted);

/// <param name="TotalIsLowerBound">More change sets match than <see cref="CappedCount.Cap"/>: "10,000+".</param>
public sealed record ChangeSetList(IReadOnlyList<ChangeSetRow> Items, int Total, bool TotalIsLowerBound = false);

/// <param name="TotalIsLowerBound">More entries match than <see cref="CappedCount.Cap"/>: "10,000+".</param>
public sealed record HistoryList(IReadOnlyList<HistoryRow> Items, int Total, bool TotalIsLowerBound = false);

public sealed record RevertResult(bool Succeeded, string Message);
