using AiLandscape.Web.Data;
using AiLandscape.Web.Data.Configurations;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.History;
using AiLandscape.Web.Features.Investors;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AiLandscape.Web.Features.Editing;

/// <summary>What one write works with: its context, the record it is about and what the audit trail should say.</summary>
public sealed class EditContext(AppDbContext db)
{
    private readonly HashSet<int> _figureCompanies = [];
    private bool _allFigures;

    public AppDbContext Db => db;
    /// <summary>The record the form is about: its id (and slug) are returned once saved.</summary>
    public object? Subject { get; set; }
    /// <summary>One line for the history list ("Added Series B of Moonshot AI").</summary>
    public string Summary { get; set; } = "";
    /// <summary>The company whose History tab shows this change.</summary>
    public int? CompanyId { get; set; }
    /// <summary>Entries that undo an earlier entry (a revert), by the entity they touch.</summary>
    internal Dictionary<object, long> Reverts { get; } = new(ReferenceEqualityComparer.Instance);

    internal List<Action> AfterFirstSave { get; } = [];

    /// <summary>
    /// Runs once the new records have their ids, before the change is committed: for rows that point at a record by
    /// id without a foreign key (citations), whose writes are audited with the rest.
    /// </summary>
    public void OnSaved(Action action) => AfterFirstSave.Add(action);

    /// <summary>The stored figures of this company depend on what is written (rounds, valuations).</summary>
    public void RefreshFiguresOf(int companyId) => _figureCompanies.Add(companyId);

    /// <summary>Every company's figures depend on it (exchange rates).</summary>
    public void RefreshAllFigures() => _allFigures = true;

    /// <summary>
    /// Saves only if the record still has the version the editor loaded. With <paramref name="overwrite"/> the
    /// editor has seen the other change and chose to replace it: the current version is taken as the expected one.
    /// </summary>
    public void ExpectVersion(object entity, uint version, bool overwrite)
    {
        if (!overwrite)
        {
            db.Entry(entity).Property("Version").OriginalValue = version;
        }
        Touch(entity);
    }

    /// <summary>
    /// Makes the save UPDATE this record even if only its children (participations, citations) changed, so its
    /// version is checked and moves on: an edit of the children conflicts with another edit of the same record.
    /// </summary>
    public void Touch(object entity)
    {
        var entry = db.Entry(entity);
        var property = entry.Properties.First(p => AuditTrail.Audited(p.Metadata) && !p.Metadata.IsForeignKey()
                                                   && !p.Metadata.IsConcurrencyToken && p.Metadata.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never);
        property.IsModified = true;
    }

    internal async Task RefreshFiguresAsync(CancellationToken ct)
    {
        if (_allFigures)
        {
            await CompanyFiguresUpdater.RefreshAsync(db, null, ct);
        }
        else if (_figureCompanies.Count > 0)
        {
            await CompanyFiguresUpdater.RefreshAsync(db, _figureCompanies, ct);
        }
    }
}

/// <summary>
/// Every write to the dataset goes through here: it checks that the user may edit, runs the change in one
/// transaction with its audit entries and the companies' stored figures, and turns a lost race into a conflict
/// the editor can act on. The work runs again from scratch on a transient failure, with a fresh context.
/// </summary>
public sealed class AuditedWriter(IDbContextFactory<AppDbContext> factory, CurrentUser user, ReplicaReads replica,
    ILogger<AuditedWriter> log, IdempotentWrite? idempotent = null)
{
    /// <summary>For services to call before validating a request: the same check SaveAsync makes.</summary>
    public void EnsureCanEdit() => user.EnsureCanEdit();

    /// <param name="since">When the editor loaded the form: a conflict lists the changes made after it.</param>
    /// <param name="work">Applies the change to the context; returns a result to stop without writing, or null to save.</param>
    public async Task<SaveResult> SaveAsync(DateTimeOffset since, Func<EditContext, CancellationToken, Task<SaveResult?>> work,
        CancellationToken ct = default)
    {
        user.EnsureCanEdit();
        await using var probe = await factory.CreateDbContextAsync(ct);
        await EnsureAccountStillMayEditAsync(probe, ct);
        var strategy = probe.Database.CreateExecutionStrategy();
        // Set just before a COMMIT is sent: when its answer is lost (the connection or the server died), the retry
        // asks PostgreSQL whether that transaction committed instead of writing everything a second time.
        (long Xid, SaveResult Result)? committing = null;
        try
        {
            var saved = await strategy.ExecuteAsync(async token =>
            {
                await using var db = await factory.CreateDbContextAsync(token);
                if (committing is { } sent)
                {
                    committing = null;
                    if (await CommittedAsync(db, sent.Xid, token))
                    {
                        log.LogWarning("A save's commit was acknowledged late (transaction {Xid} had committed); not saving it twice", sent.Xid);
                        return sent.Result;
                    }
                }
                await using var tx = await db.Database.BeginTransactionAsync(token);
                var xid = await db.Database.SqlQuery<long>($"SELECT pg_current_xact_id()::text::bigint AS \"Value\"").SingleAsync(token);
                if (idempotent is not null)
                {
                    await idempotent.ClaimAsync(db, token);
                }
                var edit = new EditContext(db);
                if (await work(edit, token) is { } stop)
                {
                    return stop;
                }
                // The last look before anything is written, whatever form, API call or import made the change.
                if (TextRules.Check(db) is { } refused)
                {
                    return refused;
                }
                await SaveWithAuditAsync(edit, token);
                var result = Result(edit);
                if (idempotent is not null)
                {
                    // Same transaction: the key is stored exactly when the change is.
                    await idempotent.RecordAsync(db, result, token);
                }
                committing = (xid, result);
                await tx.CommitAsync(token);
                committing = null;
                return result;
            }, ct);
            if (saved.Status == SaveStatus.Saved)
            {
                await ReadOwnWritesFromPrimaryAsync(probe, ct);
            }
            return saved;
        }
        catch (DbUpdateConcurrencyException ex)
        {
            return await ConflictAsync(ex, since, ct);
        }
        catch (DbUpdateException ex) when (IdempotentWrite.IsKeyTaken(ex))
        {
            throw new IdempotencyKeyTakenException();
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg)
        {
            // The service checked uniqueness first; this is another editor's save winning the race.
            log.LogInformation("Unique constraint {Constraint} refused a save", pg.ConstraintName);
            return SaveResult.Invalid("", pg.ConstraintName?.Contains("slug", StringComparison.Ordinal) == true
                ? "Another editor has just saved a record with the same slug. Reload and check before saving again."
                : pg.ConstraintName?.StartsWith("ix_dispute_resolutions", StringComparison.Ordinal) == true
                ? "Another editor has just resolved this disputed field. Reload to see their decision before changing it."
                : "This change would make two records the same where only one may exist (for example the same role twice, or one role swapped with another in a single save). Save the changes one at a time, or reload and check.");
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } pg)
        {
            log.LogInformation("Foreign key {Constraint} refused a save", pg.ConstraintName);
            return SaveResult.Invalid("", "A record this change refers to has been deleted or is still in use. Reload and check before saving again.");
        }
    }

    /// <summary>
    /// With a read replica, this user's reads go to the primary until the replica has replayed this write
    /// (ADR 0020). Asked after the commit, outside the retried work: any WAL position at or past the commit will do.
    /// </summary>
    private async Task ReadOwnWritesFromPrimaryAsync(AppDbContext db, CancellationToken ct)
    {
        if (!replica.IsConfigured || user.UserId is not { } userId)
        {
            return;
        }
        long? lsn = null;
        try
        {
            lsn = await db.Database.SqlQueryRaw<long>(
                "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint AS \"Value\"").SingleAsync(ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            log.LogWarning(ex, "Could not read the primary's WAL position after a save; its author reads from the primary for a while");
        }
        replica.RecordWrite(userId, lsn);
    }

    /// <summary>
    /// The sign-in (cookie or circuit) says editor, but an admin may have disabled the account or taken the role
    /// since; sessions notice that only at their next check. A write asks the database, so it is refused at once.
    /// </summary>
    private async Task EnsureAccountStillMayEditAsync(AppDbContext db, CancellationToken ct)
    {
        var access = await db.WriteAccessAsync(user.UserId, [Roles.Editor, Roles.Admin], ct);
        if (access != WriteAccess.Allowed)
        {
            log.LogWarning("Refused a write by {User}: {Access}", user.UserName, access);
            throw new ForbiddenException(access.Refusal("editor", "nothing was saved"));
        }
    }

    /// <summary>
    /// Whether transaction <paramref name="xid"/> committed. Waits while it is still in progress (the server may
    /// not have finished the COMMIT whose answer was lost); an xid PostgreSQL no longer or never knew (after a crash
    /// it can be "in the future") did not commit.
    /// </summary>
    private static async Task<bool> CommittedAsync(AppDbContext db, long xid, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            string? status;
            try
            {
                status = await db.Database.SqlQuery<string?>($"SELECT pg_xact_status(({xid})::text::xid8) AS \"Value\"").SingleAsync(ct);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidParameterValue)
            {
                return false;
            }
            if (status != "in progress")
            {
                return status == "committed";
            }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"Transaction {xid} is still in progress after 5 s; the save may or may not have been applied.");
    }

    private async Task SaveWithAuditAsync(EditContext edit, CancellationToken ct)
    {
        var db = edit.Db;
        var pending = AuditTrail.Capture(db);
        var investorFigures = new InvestorFiguresUpdater.Changes(db);
        await investorFigures.BeforeSaveAsync(ct);
        await db.SaveChangesAsync(ct);
        if (edit.AfterFirstSave.Count > 0)
        {
            edit.AfterFirstSave.ForEach(a => a());
            var more = AuditTrail.Capture(db);
            await db.SaveChangesAsync(ct);
            pending.AddRange(more);
        }
        var reverts = pending.ToDictionary(p => p, p => edit.Reverts.GetValueOrDefault(p.Entry.Entity));
        await edit.RefreshFiguresAsync(ct);
        // The investors whose stored figures this save can move (ADR 0021): read from what it wrote.
        investorFigures.AfterSave();
        await InvestorFiguresUpdater.RefreshAsync(db, investorFigures.InvestorIds, ct);

        // A new company's own entries (its citations too) belong on its History tab.
        var companyId = edit.CompanyId ?? (pending.FirstOrDefault(p => p.Type == RecordType.Company)?.Entry.Entity as Company)?.Id;
        var changeSet = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        foreach (var p in pending)
        {
            AuditTrail.Complete(p);
            var reverts_ = reverts[p];
            db.AuditEntries.Add(new AuditEntry
            {
                At = at,
                UserId = user.UserId,
                UserName = user.DisplayName,
                Action = reverts_ != 0 ? AuditAction.Revert : p.Action,
                RevertsEntryId = reverts_ == 0 ? null : reverts_,
                RecordType = p.Type,
                RecordId = p.RecordId,
                Changes = AuditTrail.Serialize(p.Changes),
                ChangeSetId = changeSet,
                Summary = Truncate(edit.Summary, 300),
                CompanyId = companyId ?? (p.Entry.Entity as Company)?.Id,
            });
        }
        await db.SaveChangesAsync(ct);
        // Last, so the row lock is held only until the commit: cached figures are keyed by this count.
        await db.ChangeCounter.Where(c => c.Id == ChangeCounterConfiguration.TheRow)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.Value, c => c.Value + 1), ct);
        log.LogInformation("{User} saved {Count} change(s): {Summary}", user.UserName, pending.Count, edit.Summary);
    }

    private static SaveResult Result(EditContext edit)
    {
        if (edit.Subject is null)
        {
            return new SaveResult(SaveStatus.Saved);
        }
        var entry = edit.Db.Entry(edit.Subject);
        var slug = entry.Metadata.FindProperty("Slug") is null ? null : (string?)entry.Property("Slug").CurrentValue;
        return SaveResult.Saved((int)entry.Property("Id").CurrentValue!, slug);
    }

    private async Task<SaveResult> ConflictAsync(DbUpdateConcurrencyException ex, DateTimeOffset since, CancellationToken ct)
    {
        var entry = ex.Entries.FirstOrDefault();
        if (entry is null || AuditTrail.RecordTypeOf(entry.Metadata.ClrType) is not { } type)
        {
            return new SaveResult(SaveStatus.Conflict) { Conflict = new ConflictInfo("record", []) };
        }
        var id = (int)entry.Property("Id").CurrentValue!;
        await using var db = await factory.CreateDbContextAsync(ct);
        var deleted = await db.AuditEntries.AnyAsync(a => a.RecordType == type && a.RecordId == id && a.Action == AuditAction.Delete && a.At > since, ct);
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(a => a.RecordType == type && a.RecordId == id && a.At > since)
            .OrderByDescending(a => a.At).Take(10)
            .Select(a => new { a.UserName, a.At, a.Changes })
            .ToListAsync(ct);
        entries.Reverse();
        log.LogInformation("Edit conflict on {RecordType} {RecordId}", type, id);
        var changes = entries.Select(a => new ChangeBy(a.UserName, a.At, AuditTrail.Deserialize(a.Changes))).ToList();
        return new SaveResult(SaveStatus.Conflict)
        {
            Conflict = new ConflictInfo(deleted ? $"{HistoryFormat.TypeName(type)} (deleted since)" : HistoryFormat.TypeName(type), changes),
        };
    }

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
