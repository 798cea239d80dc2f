using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Import;

/// <summary>
/// Bulk import of funding rounds from CSV: read and check the file (a preview with a status per row), let the editor
/// settle ambiguous names, then write every valid new row in one audited transaction. Each row becomes a
/// <see cref="RoundRequest"/> checked by the form's own rules; nothing is written before <see cref="CommitAsync"/>.
/// The steps live apart: <see cref="RoundCsvReader"/> (CSV to rows), <see cref="RoundImportChecker"/> (rows to a
/// preview with per-cell errors) and <see cref="RoundImportCommitter"/> (the audited save); this service checks the
/// user's rights before each and logs.
/// </summary>
public sealed class RoundImportService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer, ILogger<RoundImportService> log)
{
    public const long MaxFileBytes = 2 * 1024 * 1024;
    public const int MaxRows = 2000;

    /// <summary>Reads the file and checks every row against the stored data. Writes nothing.</summary>
    public async Task<ImportPreview> PreviewAsync(Stream csv, string fileName, CancellationToken ct = default)
    {
        writer.EnsureCanEdit(); // before reading: a refused user learns nothing about the data
        var preview = await RoundCsvReader.ReadAsync(csv, fileName, ct);
        if (preview.FileErrors.Count == 0)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            await RoundImportChecker.CheckAsync(db, preview, ct);
        }
        log.LogInformation("Import preview of {FileName}: {Rows} rows, {New} new, {Duplicates} duplicates, {Errors} errors",
            fileName, preview.Rows.Count, preview.Count(ImportRowStatus.New), preview.Count(ImportRowStatus.Duplicate),
            preview.Count(ImportRowStatus.Error));
        return preview;
    }

    /// <summary>Checks the rows again after the editor chose between names or to create investors.</summary>
    public async Task RecheckAsync(ImportPreview preview, CancellationToken ct = default)
    {
        writer.EnsureCanEdit();
        await using var db = await factory.CreateDbContextAsync(ct);
        await RoundImportChecker.CheckAsync(db, preview, ct);
    }

    /// <summary>
    /// Writes every row that is still new and valid when checked again inside the transaction, each round with its
    /// participations and source, in one change with its audit entries; the companies' figures are refreshed.
    /// </summary>
    public Task<ImportCommitResult> CommitAsync(ImportPreview preview, CancellationToken ct = default)
    {
        writer.EnsureCanEdit();
        return RoundImportCommitter.CommitAsync(writer, preview, ct);
    }
}
