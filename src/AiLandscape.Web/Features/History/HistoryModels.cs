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
    IReadOnlyList<FieldChange> Changes);

/// <param name="TotalIsLowerBound">More entries match than <see cref="CappedCount.Cap"/>: "10,000+".</param>
public sealed record HistoryList(IReadOnlyList<HistoryRow> Items, int Total, bool TotalIsLowerBound = false);

public sealed record RevertResult(bool Succeeded, string Message);
