using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Npgsql;

namespace AiLandscape.Web.Features.Investors;

/// <summary>
/// Recomputes the stored <see cref="StoredInvestorFigures"/> of some investors (or all) with the rules of
/// <see cref="InvestorCredit"/>: a participation counts for its investor and for that investor's parent; rounds, led
/// rounds and companies are counted once each; the latest investment is the newest announced round of any status,
/// day-precise first among rounds of the same date (as the profile picks it). See ADR 0021.
/// </summary>
public static class InvestorFiguresUpdater
{
    /// <summary>
    /// One set-based UPDATE of the given investors and their parents (or of every investor), writing only rows whose
    /// figures changed, so an investor's version moves only when they did; the same statement writes their event-time
    /// spans (<see cref="InvestorFigureStep"/>) from the same credited rounds, only those that differ. The rows
    /// are locked first, in id order, in a statement of their own: a concurrent save that credits the same investor
    /// waits for this transaction, and its own UPDATE, a later statement, then counts this one's participations too.
    /// </summary>
    public static async Task RefreshAsync(AppDbContext db, IReadOnlyCollection<int>? investorIds, CancellationToken ct = default)
    {
        if (investorIds is { Count: 0 })
        {
            return;
        }
        var all = investorIds is null;
        var ids = investorIds?.Distinct().ToArray() ?? [];
        if (all)
        {
            // Every investor, in id order: an edit on another instance (a rolling deploy) then waits for this refresh,
            // and this refresh does not write spans an edit has just replaced.
            await db.Database.ExecuteSqlRawAsync("SELECT 1 FROM investors ORDER BY id FOR NO KEY UPDATE", ct);
        }
        else
        {
            await LockAsync(db, ids, ct);
        }
        const string Target = """
            SELECT id FROM investors WHERE @all OR id = ANY(@ids)
            UNION
            SELECT parent_id FROM investors WHERE NOT @all AND id = ANY(@ids) AND parent_id IS NOT NULL
            """;
        var refresh = $$"""
            WITH target AS ({{Target}}),
            {{FiguresSql()}},
            -- Event time: each dated round once per investor (led if any credited participation led it), counted
            -- from its day on; a company counts from the day of its first round with the investor.
            dated AS (
                SELECT investor_id, announced_on AS day, company_id, bool_or(is_lead) AS led
                FROM credited_rounds
                WHERE announced_on IS NOT NULL
                GROUP BY investor_id, funding_round_id, announced_on, company_id
            ),
            days AS (
                SELECT investor_id, day, count(*) AS rounds, count(*) FILTER (WHERE led) AS leads
                FROM dated GROUP BY investor_id, day
            ),
            first_days AS (
                SELECT investor_id, day, count(*) AS companies
                FROM (SELECT investor_id, company_id, min(day) AS day FROM dated GROUP BY investor_id, company_id) f
                GROUP BY investor_id, day
            ),
            steps AS (
                SELECT d.investor_id, d.day AS from_on, lead(d.day) OVER w AS until_on, (sum(d.rounds) OVER w)::int AS rounds,
                    (sum(d.leads) OVER w)::int AS leads, (sum(coalesce(f.companies, 0)) OVER w)::int AS companies
                FROM days d LEFT JOIN first_days f ON f.investor_id = d.investor_id AND f.day = d.day
                WINDOW w AS (PARTITION BY d.investor_id ORDER BY d.day)
            ),
            -- Only the spans that differ are written (a new round of today moves one span and adds one). The three
            -- writes touch disjoint keys: changed spans, spans no longer there, new spans.
            changed AS (
                UPDATE investor_figure_steps o
                SET until_on = s.until_on, round_count = s.rounds, lead_count = s.leads, company_count = s.companies
                FROM steps s
                WHERE o.investor_id = s.investor_id AND o.from_on = s.from_on
                  AND (o.until_on, o.round_count, o.lead_count, o.company_count)
                      IS DISTINCT FROM (s.until_on, s.rounds, s.leads, s.companies)
            ),
            gone AS (
                DELETE FROM investor_figure_steps o
                WHERE o.investor_id IN (SELECT id FROM target)
                  AND NOT EXISTS (SELECT 1 FROM steps s WHERE s.investor_id = o.investor_id AND s.from_on = o.from_on)
            ),
            added AS (
                INSERT INTO investor_figure_steps (investor_id, from_on, until_on, round_count, lead_count, company_count)
                SELECT s.investor_id, s.from_on, s.until_on, s.rounds, s.leads, s.companies
                FROM steps s
                WHERE NOT EXISTS (SELECT 1 FROM investor_figure_steps o WHERE o.investor_id = s.investor_id AND o.from_on = s.from_on)
                -- A parent that gained a unit between the lock and this statement is not locked: a save crediting it
                -- at once may have written the same span first. Its values are then replaced by this statement's.
                ON CONFLICT (investor_id, from_on) DO UPDATE SET until_on = EXCLUDED.until_on,
                    round_count = EXCLUDED.round_count, lead_count = EXCLUDED.lead_count, company_count = EXCLUDED.company_count
            )
            UPDATE investors AS i SET unit_count = f.unit_count, company_count = f.company_count, round_count = f.round_count,
                lead_count = f.lead_count, latest_investment_on = f.latest_investment_on,
                latest_investment_precision = f.latest_investment_precision
            FROM figures f
            WHERE i.id = f.id
              AND (i.unit_count, i.company_count, i.round_count, i.lead_count, i.latest_investment_on,
                   i.latest_investment_precision)
                  IS DISTINCT FROM (f.unit_count, f.company_count, f.round_count, f.lead_count, f.latest_investment_on,
                   f.latest_investment_precision)
            """;
        await db.Database.ExecuteSqlRawAsync(refresh, [new NpgsqlParameter("all", all), new NpgsqlParameter("ids", ids)], ct);
    }

    /// <summary>
    /// The CTEs <c>credited</c>, <c>credited_rounds</c> and <c>figures</c> (one row per investor of a CTE <c>target</c>,
    /// its columns named as the investors' stored figures), over today's tables or, given other table expressions, over
    /// the versions of a past instant (<see cref="AsOf.HistoryFromAudit"/>).
    /// </summary>
    internal static string FiguresSql(string participations = "participations", string investors = "investors",
        string rounds = "funding_rounds") => $"""
        credited AS (
            SELECT p.investor_id AS investor_id, p.funding_round_id, p.is_lead
            FROM {participations} p
            WHERE p.investor_id IN (SELECT id FROM target)
            UNION ALL
            SELECT i.parent_id, p.funding_round_id, p.is_lead
            FROM {participations} p JOIN {investors} i ON i.id = p.investor_id
            WHERE i.parent_id IN (SELECT id FROM target)
        ),
        -- Read once for both the figures and the spans.
        credited_rounds AS (
            SELECT c.investor_id, c.funding_round_id, c.is_lead, r.company_id, r.announced_on, r.announced_precision
            FROM credited c JOIN {rounds} r ON r.id = c.funding_round_id
        ),
        figures AS (
            SELECT t.id,
                (SELECT count(*) FROM {investors} u WHERE u.parent_id = t.id)::int AS unit_count,
                count(DISTINCT r.company_id)::int AS company_count,
                count(DISTINCT r.funding_round_id)::int AS round_count,
                (count(DISTINCT r.funding_round_id) FILTER (WHERE r.is_lead))::int AS lead_count,
                max(r.announced_on) AS latest_investment_on,
                coalesce((array_agg(r.announced_precision
                    ORDER BY r.announced_on DESC NULLS LAST, r.announced_precision <> 'Day', r.announced_precision)
                    FILTER (WHERE r.announced_on IS NOT NULL))[1], 'Day') AS latest_investment_precision
            FROM target t
            LEFT JOIN credited_rounds r ON r.investor_id = t.id
            GROUP BY t.id
        )
        """;

    /// <summary>Locks the investors and their parents, in id order (locks already held are kept as they are).</summary>
    private static Task LockAsync(AppDbContext db, int[] ids, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync("""
            SELECT 1 FROM investors
            WHERE id = ANY(@ids) OR id IN (SELECT parent_id FROM investors WHERE id = ANY(@ids))
            ORDER BY id FOR NO KEY UPDATE
            """, [new NpgsqlParameter("ids", ids)], ct);

    /// <summary>
    /// Watches one save for writes that can move investors' figures and names the investors to refresh. Call
    /// <see cref="BeforeSaveAsync"/> before the first SaveChanges (it reads what is about to be deleted, and the
    /// values records had), <see cref="AfterSave"/> after the last one (new records have their ids by then).
    /// </summary>
    public sealed class Changes(AppDbContext db)
    {
        private readonly HashSet<int> _ids = [];
        private readonly List<EntityEntry> _current = [];

        public IReadOnlyCollection<int> InvestorIds => _ids;

        public async Task BeforeSaveAsync(CancellationToken ct)
        {
            var rounds = new HashSet<int>();
            var companies = new HashSet<int>();
            NoteChangedEntries(rounds, companies);
            if (rounds.Count > 0 || companies.Count > 0)
            {
                await AddInvestorsOfAsync(rounds, companies, ct);
            }
            // The investors known now are locked before the save writes anything, in id order: two saves that credit
            // the same investors then queue up here instead of each holding one row the other's refresh needs (a
            // deadlock). The save's new records (ids not known yet) are locked by RefreshAsync; nobody else can
            // credit them before this transaction commits.
            var known = KnownInvestorIds();
            if (known.Count > 0)
            {
                await LockAsync(db, [.. known], ct);
            }
        }

        /// <summary>The investors whose figures the tracked changes move; rounds and companies whose investors are read next.</summary>
        private void NoteChangedEntries(HashSet<int> rounds, HashSet<int> companies)
        {
            foreach (var entry in db.ChangeTracker.Entries())
            {
                if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
                {
                    continue;
                }
                var wasThere = entry.State is EntityState.Modified or EntityState.Deleted;
                switch (entry.Entity)
                {
                    // A participation's investor, old and new (the parent is added by RefreshAsync).
                    case Participation p:
                        if (wasThere)
                        {
                            Add(entry.Property(nameof(Participation.InvestorId)).OriginalValue);
                        }
                        if (entry.State != EntityState.Deleted)
                        {
                            _current.Add(entry);
                        }
                        break;
                    // A round moved (date, company) or deleted: every investor in it, read before a delete cascades.
                    case FundingRound r when wasThere:
                        rounds.Add(r.Id);
                        break;
                    case Company c when entry.State == EntityState.Deleted:
                        companies.Add(c.Id);
                        break;
                    // Its units counted, its parent's figures with or without it: the parent it had and the one it has.
                    case Investor i:
                        if (wasThere)
                        {
                            Add(entry.Property(nameof(Investor.ParentId)).OriginalValue);
                            if (entry.State == EntityState.Modified)
                            {
                                Add(i.Id);
                            }
                        }
                        if (entry.State != EntityState.Deleted)
                        {
                            _current.Add(entry);
                        }
                        break;
                }
            }
        }

        /// <summary>Every investor in the moved or deleted rounds and the deleted companies, and their parents.</summary>
        private async Task AddInvestorsOfAsync(HashSet<int> rounds, HashSet<int> companies, CancellationToken ct)
        {
            var roundIds = rounds.ToArray();
            var companyIds = companies.ToArray();
            var investors = await db.Participations.AsNoTracking()
                .Where(p => roundIds.Contains(p.FundingRoundId) || companyIds.Contains(p.FundingRound.CompanyId))
                .Select(p => p.InvestorId).Distinct().ToListAsync(ct);
            _ids.UnionWith(investors);
            // Its parent too, should the investor itself be deleted in this save (a merge).
            var parents = await db.Investors.AsNoTracking()
                .Where(i => investors.Contains(i.Id) && i.ParentId != null)
                .Select(i => i.ParentId!.Value).ToListAsync(ct);
            _ids.UnionWith(parents);
        }

        /// <summary>The ids known before the save: those found so far and the ones the tracked records point at.</summary>
        private HashSet<int> KnownInvestorIds()
        {
            var known = new HashSet<int>(_ids);
            foreach (var entry in _current)
            {
                switch (entry.Entity)
                {
                    case Participation p when p.InvestorId > 0:
                        known.Add(p.InvestorId);
                        break;
                    case Investor i:
                        if (i.Id > 0)
                        {
                            known.Add(i.Id);
                        }
                        if (i.ParentId is > 0)
                        {
                            known.Add(i.ParentId.Value);
                        }
                        break;
                }
            }
            return known;
        }

        public void AfterSave()
        {
            foreach (var entry in _current)
            {
                switch (entry.Entity)
                {
                    case Participation p:
                        _ids.Add(p.InvestorId);
                        break;
                    case Investor i:
                        _ids.Add(i.Id);
                        Add(i.ParentId);
                        break;
                }
            }
            _current.Clear();
        }

        private void Add(object? id)
        {
            if (id is int value and > 0)
            {
                _ids.Add(value);
            }
        }
    }
}
