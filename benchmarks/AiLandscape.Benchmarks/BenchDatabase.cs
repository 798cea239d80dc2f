using System.Security.Claims;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Investors;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AiLandscape.Benchmarks;

/// <summary>
/// One database at one scale, opened with the app's own options (<see cref="AppDatabaseOptions.UseAppDatabase"/>,
/// retry strategy included) plus the command counter, and the records the cases look up there.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BenchDatabase(int scale, string connectionString, ServiceProvider services, SqlRecorder recorder)
    {
        Scale = scale;
        ConnectionString = connectionString;
        _services = services;
        Recorder = recorder;
        Factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
    }

    public int Scale { get; }
    public string ConnectionString { get; }
    public IDbContextFactory<AppDbContext> Factory { get; }

    /// <summary>Contexts reading the landscape as of a day, as the pages get them.</summary>
    public IDbContextFactory<AppDbContext> AsOf(AsOfView view) =>
        new AsOfContexts(_services.GetRequiredService<DbContextOptions<AppDbContext>>()).For(view);
    public SqlRecorder Recorder { get; }

    /// <summary>The app's cache of whole-landscape figures (a singleton there), one per database here.</summary>
    public ChangeKeyedCache Cache { get; } = new();
    public DataCounts Counts { get; private set; } = null!;

    /// <summary>The investor in the most rounds (its profile is the largest).</summary>
    public string LargestInvestor { get; private set; } = "";

    /// <summary>Eight companies for /compare: the seed's, most rounds first.</summary>
    public IReadOnlyList<string> CompareSlugs { get; private set; } = [];

    /// <summary>An anonymous reader: what the public pages and the API see.</summary>
    public CurrentUser Anonymous { get; } = new(new HttpContextAccessor());

    /// <summary>The editor's account in the database: a write asks it whether the account still may edit.</summary>
    public const string EditorId = "bench-editor";

    /// <summary>Whether the kept-history triggers are switched off (for the edit cost without them, issue 13).</summary>
    public bool HistoryOff { get; private set; }

    /// <summary>Switches the kept-history triggers of every kept table off or on (the bench connects as the owner).</summary>
    public async Task KeepHistoryAsync(bool on)
    {
        if (HistoryOff == !on)
        {
            return;
        }
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        var sql = string.Concat(KeptHistory.Tables.Select(t =>
            $"ALTER TABLE {t} {(on ? "ENABLE" : "DISABLE")} TRIGGER keep_history_of_inserts, " +
            $"{(on ? "ENABLE" : "DISABLE")} TRIGGER keep_history_of_updates, {(on ? "ENABLE" : "DISABLE")} TRIGGER keep_history_of_deletes;\n"));
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
        HistoryOff = !on;
    }

    /// <summary>A seed valuation that the edit cases change back and forth.</summary>
    public int EditedValuation { get; private set; }

    /// <summary>A round of <see cref="LargestInvestor"/>, whose lead flag an edit case turns back and forth.</summary>
    public int EditedRound { get; private set; }

    public int LargestInvestorId { get; private set; }

    /// <summary>A signed-in editor, for the pages only editors open (unverified, history); nothing is written.</summary>
    public CurrentUser Editor { get; } = new(new FixedHttpContext(new DefaultHttpContext
    {
        User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, EditorId), new Claim(ClaimTypes.Name, "bench@example.com"),
             new Claim(ClaimTypes.Role, Roles.Editor)], "bench")),
    }));

    // HttpContextAccessor keeps its context in an AsyncLocal, which a case running later would not see.
    private sealed class FixedHttpContext(HttpContext context) : IHttpContextAccessor
    {
        public HttpContext? HttpContext { get => context; set { } }
    }

    public AuditedWriter Writer => new(Factory, Editor, new ReplicaReads(null, NullLogger<ReplicaReads>.Instance), NullLogger<AuditedWriter>.Instance);

    /// <summary>Creates the database on the cluster, migrates and seeds it, grows it to <paramref name="scale"/>.</summary>
    public static async Task<BenchDatabase> CreateAsync(string clusterConnectionString, int scale, TextWriter log)
    {
        var name = $"bench_{scale}x";
        await using (var admin = new NpgsqlConnection(clusterConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}; ", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(clusterConnectionString) { Database = name }.ConnectionString;
        var recorder = new SqlRecorder();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddDbContextFactory<AppDbContext>(o => o.UseAppDatabase(connectionString).AddInterceptors(recorder))
            .BuildServiceProvider();
        var db = new BenchDatabase(scale, connectionString, services, recorder);
        await services.MigrateAndSeedAsync();

        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var seed = await DataCounts.ReadAsync(conn);
        // Chosen among the seed's companies before any synthetic row exists, so both scales compare the same eight.
        var slugs = await CompaniesWithMostRoundsAsync(conn);
        db.CompareSlugs = slugs;
        if (scale > 1)
        {
            await SyntheticData.GrowAsync(conn, scale, seed, log);
            await using var context = await db.Factory.CreateDbContextAsync();
            context.Database.SetCommandTimeout(TimeSpan.FromHours(1));
            await CompanyFiguresUpdater.RefreshAsync(context, companyIds: null);
            await InvestorFiguresUpdater.RefreshAsync(context, investorIds: null);
            await using var analyze = new NpgsqlCommand("VACUUM ANALYZE", conn) { CommandTimeout = 0 };
            await analyze.ExecuteNonQueryAsync();
        }
        await using (var context = await db.Factory.CreateDbContextAsync())
        {
            var role = await context.Roles.SingleOrDefaultAsync(r => r.Name == Roles.Editor);
            if (role is null)
            {
                role = new IdentityRole(Roles.Editor) { NormalizedName = Roles.Editor.ToUpperInvariant() };
                context.Roles.Add(role);
            }
            context.Users.Add(new AppUser
            {
                Id = EditorId, UserName = "bench@example.com", NormalizedUserName = "BENCH@EXAMPLE.COM",
                Email = "bench@example.com", NormalizedEmail = "BENCH@EXAMPLE.COM", SecurityStamp = Guid.NewGuid().ToString(),
            });
            context.UserRoles.Add(new IdentityUserRole<string> { UserId = EditorId, RoleId = role.Id });
            await context.SaveChangesAsync();
            db.EditedValuation = await context.ValuationPoints.Where(v => v.Company.Slug == "moonshot-ai")
                .OrderBy(v => v.Id).Select(v => v.Id).FirstAsync();
        }
        db.Counts = await DataCounts.ReadAsync(conn);
        db.LargestInvestor = await SyntheticData.ScalarAsync<string>(conn, """
            SELECT i.slug FROM investors i JOIN participations p ON p.investor_id = i.id
            GROUP BY i.id ORDER BY count(*) DESC, i.id LIMIT 1
            """);
        db.LargestInvestorId = await SyntheticData.ScalarAsync<int>(conn, $"SELECT id FROM investors WHERE slug = '{db.LargestInvestor}'");
        db.EditedRound = await SyntheticData.ScalarAsync<int>(conn,
            $"SELECT min(funding_round_id) FROM participations WHERE investor_id = {db.LargestInvestorId}");
        return db;
    }

    public ValueTask DisposeAsync()
    {
        Cache.Dispose();
        return _services.DisposeAsync();
    }

    /// <summary>The eight companies with the most rounds (then by id): the /compare set and the largest profile.</summary>
    internal static async Task<List<string>> CompaniesWithMostRoundsAsync(NpgsqlConnection conn)
    {
        var slugs = new List<string>();
        await using var cmd = new NpgsqlCommand("""
            SELECT c.slug FROM companies c
            ORDER BY (SELECT count(*) FROM funding_rounds f WHERE f.company_id = c.id) DESC, c.id LIMIT 8
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            slugs.Add(reader.GetString(0));
        }
        return slugs;
    }
}
