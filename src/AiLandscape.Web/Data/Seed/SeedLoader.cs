using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Investors;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Data.Seed;

/// <summary>
/// Loads the seed dataset shipped in Data/Seed into an empty database, once. The dataset name is recorded in
/// seed_history in the same transaction, so a restart (or a second instance starting at the same moment, kept out
/// by an advisory lock) adds nothing and never overwrites later edits to seeded records.
/// </summary>
public sealed class SeedLoader(IDbContextFactory<AppDbContext> factory, ILogger logger)
{
    /// <summary>Bump when the dataset gains records that existing databases should receive.</summary>
    public const string DatasetName = "seed-facts-2026-11";
    /// <summary>The default round label table (Data/Seed/round-labels.json).</summary>
    public const string RoundLabelsDatasetName = "round-labels-2026-11";

    /// <summary>
    /// Recorded once every round's stored USD amount has been filled (migration RoundUsdAmount, ADR 0022). The
    /// migration removes this row, so a database it is applied to is filled on the same start, or on the next one if
    /// that start stopped midway; the new row also moves the version the cached figures are kept under.
    /// </summary>
    public const string RoundUsdAmountDatasetName = "derived-round-usd-amount";
    public const string FigureStepsDatasetName = "derived-company-figure-steps";
    public const string InvestorFigureStepsDatasetName = "derived-investor-figure-steps";
    public const string HistoryFromAuditDatasetName = "history-from-audit";
    public const string DerivedHistoryDatasetName = "derived-history-from-audit";
    private const long AdvisoryLockKey = 0x41494C414E44; // "AILAND"

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public async Task ApplyAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);
            // What the seed reports was true before anyone used the app: as of any day, it was known (ADR 0032).
            await db.Database.ExecuteSqlRawAsync(KeptHistory.KnownFromTheStartSql, ct);
            var seededNow = false;
            if (!await db.SeedHistory.AnyAsync(h => h.Dataset == DatasetName, ct))
            {
                seededNow = true;
                var dataset = SeedDataset.LoadEmbedded();
                await new SeedWriter(db, dataset).WriteAsync(ct);
                await CompanyFiguresUpdater.RefreshAsync(db, companyIds: null, ct);
                await InvestorFiguresUpdater.RefreshAsync(db, investorIds: null, ct);
                db.SeedHistory.Add(new SeedHistory { Dataset = DatasetName, AppliedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync(ct);
                logger.LogInformation(
                    "Seeded {Companies} companies, {Rounds} funding rounds, {Investors} investors and {Sources} sources",
                    dataset.Companies.Count, dataset.Companies.Sum(c => c.Rounds?.Count ?? 0), dataset.Investors.Count,
                    dataset.Sources.Count);
            }
            // A separate dataset, so databases seeded before the label table existed receive it too.
            if (!await db.SeedHistory.AnyAsync(h => h.Dataset == RoundLabelsDatasetName, ct))
            {
                var added = await SeedWriter.AddRoundLabelsAsync(db, SeedDataset.LoadRoundLabels(), ct);
                db.SeedHistory.Add(new SeedHistory { Dataset = RoundLabelsDatasetName, AppliedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Seeded {Count} round labels", added);
            }
            // Corrections to what older seeds wrote (issue 18, ADR 0013). A database seeded just now already holds the
            // corrected data and fresh figures: it only records the corrections as applied.
            if (!await db.SeedHistory.AnyAsync(h => h.Dataset == SeedCorrections.DatasetName, ct))
            {
                if (!seededNow)
                {
                    var corrected = await SeedCorrections.ApplyAsync(db, ct);
                    // Stored figures were converted with the earlier rule for year- and quarter-dated amounts (ADR 0013).
                    await CompanyFiguresUpdater.RefreshAsync(db, companyIds: null, ct);
                    await InvestorFiguresUpdater.RefreshAsync(db, investorIds: null, ct);
                    logger.LogInformation("Applied {Count} seed corrections", corrected);
                }
                db.SeedHistory.Add(new SeedHistory { Dataset = SeedCorrections.DatasetName, AppliedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync(ct);
            }
            // What C# rules derive, filled once under the seed's lock for a database from before it; a database
            // seeded just now already has it.
            async Task DeriveOnceAsync(string dataset, Func<Task> derive)
            {
                if (await db.SeedHistory.AnyAsync(h => h.Dataset == dataset, ct))
                {
                    return;
                }
                if (!seededNow)
                {
                    await derive();
                }
                db.SeedHistory.Add(new SeedHistory { Dataset = dataset, AppliedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync(ct);
            }
            // The rounds' stored USD amounts need CurrencyConverter's rules, as after an exchange-rate change.
            await DeriveOnceAsync(RoundUsdAmountDatasetName, async () =>
            {
                await CompanyFiguresUpdater.RefreshAsync(db, companyIds: null, ct);
                logger.LogInformation("Filled the stored USD amount of every round");
            });
            // The versions kept before migration KeptHistory, rebuilt from the audit trail (ADR 0033).
            await DeriveOnceAsync(HistoryFromAuditDatasetName, async () =>
            {
                var rebuilt = await HistoryFromAudit.RebuildAsync(db, ct);
                logger.LogInformation("Rebuilt {Count} earlier versions of records from the audit trail", rebuilt);
            });
            // Their derived columns (stored figures, USD amounts, search text) as the rules give them at each instant.
            await DeriveOnceAsync(DerivedHistoryDatasetName, async () =>
            {
                var written = await HistoryFromAudit.RederiveAsync(db, ct);
                logger.LogInformation("Recomputed the derived columns of {Count} earlier versions of records", written);
            });
            // The event-time spans of each company's figures (ADR 0033), by the same C# rules as the figures.
            await DeriveOnceAsync(FigureStepsDatasetName, async () =>
            {
                await CompanyFiguresUpdater.RefreshAsync(db, companyIds: null, ct);
                logger.LogInformation("Computed the event-time figures of every company");
            });
            // And of every investor, by the same statement as their stored figures.
            await DeriveOnceAsync(InvestorFigureStepsDatasetName, async () =>
            {
                await InvestorFiguresUpdater.RefreshAsync(db, investorIds: null, ct);
                logger.LogInformation("Computed the event-time figures of every investor");
            });
            // The seeded people's pinyin (issue 16, ADR 0034), for a database seeded before people had one: once, like
            // the derived data above.
            await DeriveOnceAsync(SeedCorrections.PersonPinyinDatasetName, async () =>
            {
                var given = await SeedCorrections.AddPersonPinyinAsync(db, SeedDataset.LoadPeople(), ct);
                logger.LogInformation("Gave {Count} seeded people their pinyin", given);
            });
            await tx.CommitAsync(ct);
        });
    }
}

/// <summary>The whole seed dataset as read from the embedded JSON files.</summary>
public sealed record SeedDataset(
    List<SeedSource> Sources,
    List<SeedPerson> People,
    List<SeedInvestor> Investors,
    List<SeedCompany> Companies,
    SeedExchangeRates ExchangeRates)
{
    public static List<SeedRoundLabel> LoadRoundLabels() => Read<List<SeedRoundLabel>>("seed/round-labels.json");

    public static List<SeedPerson> LoadPeople() => Read<List<SeedPerson>>("seed/people.json");

    private static T Read<T>(string resourceName)
    {
        using var stream = typeof(SeedDataset).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Seed resource {resourceName} is missing.");
        return JsonSerializer.Deserialize<T>(stream, SeedLoader.JsonOptions)
            ?? throw new InvalidOperationException($"Seed resource {resourceName} is empty.");
    }

    public static SeedDataset LoadEmbedded()
    {
        var assembly = typeof(SeedDataset).Assembly;
        var names = assembly.GetManifestResourceNames();

        // LogicalName in the csproj keeps the folder layout: seed/companies/01-ai.json.
        string Named(string file) => "seed/" + file;

        var companies = names
            .Where(n => n.Replace('\\', '/').StartsWith("seed/companies/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(Read<SeedCompany>)
            .ToList();
        return new SeedDataset(
            Read<List<SeedSource>>(Named("sources.json")),
            Read<List<SeedPerson>>(Named("people.json")),
            Read<List<SeedInvestor>>(Named("investors.json")),
            companies,
            Read<SeedExchangeRates>(Named("exchange-rates.json")));
    }
}
