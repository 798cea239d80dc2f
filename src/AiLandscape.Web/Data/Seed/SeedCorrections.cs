using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Data.Seed;

/// <summary>
/// Corrections to citations of databases seeded before issue 18 (ADR 0013), and the people's pinyin for databases
/// seeded before issue 16 (ADR 0034): the seed JSON already carries them, so a fresh database finds nothing to change.
/// Each correction touches a record only while it still reads exactly as the old seed wrote it; a record an editor
/// has changed or deleted is left alone.
/// </summary>
internal static class SeedCorrections
{
    public const string DatasetName = "seed-corrections-2026-12";

    /// <summary>The seeded people's pinyin (issue 16), added after the people: migration PersonPinyin removes this
    /// row when it is rolled back.</summary>
    public const string PersonPinyinDatasetName = "seed-person-pinyin-2026-12";

    /// <summary>
    /// Gives each seeded person the pinyin the seed now carries (Data/Seed/people.json), while they have none and their
    /// Chinese name is still the seed's: a person an editor renamed, or gave a pinyin, is left alone. The search text
    /// follows through the table's trigger. Returns how many people were given one.
    /// </summary>
    public static async Task<int> AddPersonPinyinAsync(AppDbContext db, IReadOnlyList<SeedPerson> seed, CancellationToken ct)
    {
        var withPinyin = seed.Where(p => p.Pinyin is not null && p.NameZh is not null).ToDictionary(p => p.Slug);
        var slugs = withPinyin.Keys.ToList();
        var people = await db.People.Where(p => slugs.Contains(p.Slug) && p.Pinyin == null).ToListAsync(ct);
        var given = 0;
        foreach (var person in people.Where(p => p.NameZh == withPinyin[p.Slug].NameZh))
        {
            person.Pinyin = withPinyin[person.Slug].Pinyin;
            given++;
        }
        await db.SaveChangesAsync(ct);
        return given;
    }

    public static async Task<int> ApplyAsync(AppDbContext db, CancellationToken ct)
    {
        var changed = 0;
        var companies = await db.Companies.Where(c => c.Slug == "01-ai" || c.Slug == "minimax" || c.Slug == "moonshot-ai")
            .ToDictionaryAsync(c => c.Slug, c => c.Id, ct);
        var sources = await db.Sources.Where(s => s.Key != null).ToDictionaryAsync(s => s.Key!, s => s.Id, ct);

        async Task<Citation?> Find(RecordType type, int? recordId, string sourceKey, string? field, string? value)
        {
            if (recordId is null || !sources.TryGetValue(sourceKey, out var sourceId))
            {
                return null;
            }
            return await db.Citations.FirstOrDefaultAsync(c => c.RecordType == type && c.RecordId == recordId
                && c.SourceId == sourceId && c.Field == field && c.ReportedValue == value, ct);
        }

        var oneAi = companies.TryGetValue("01-ai", out var a) ? a : (int?)null;
        // Values only the source article reports (it cites PitchBook, which is not stored): unverified.
        if (await Find(RecordType.Company, oneAi, "ARTICLE", "TotalRaised", "US$200M (PitchBook)") is { } total)
        {
            total.IsUnverified = true;
            total.Claim = "Only the article reports this, citing PitchBook; PitchBook itself is not stored, and Reuters reported only that 01.AI sought up to US$200M.";
            changed++;
        }
        var raise = oneAi is null ? null : await db.FundingRounds.Where(r => r.CompanyId == oneAi && r.AmountText == "up to US$200M sought")
            .Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
        if (await Find(RecordType.FundingRound, raise, "ARTICLE", "Amount", "US$200M raised (PitchBook)") is { } raised)
        {
            raised.IsUnverified = true;
            raised.Claim = "The article says 01.AI raised US$200M, citing PitchBook, which is not stored; Reuters reported only that 01.AI sought up to US$200M.";
            changed++;
        }
        if (await Find(RecordType.Company, oneAi, "ARTICLE", "FoundedOn", "2022") is { } founded)
        {
            founded.IsUnverified = true;
            founded.Claim = "The article says Kai-Fu Lee founded 01.AI in 2022; it names no source for the year, and Bloomberg, Reuters and NBD date the founding to 2023.";
            changed++;
        }

        // The Yi licence changed over time: the licence at release and the later one are two dated facts, not a dispute.
        var yi = oneAi is null ? null : await db.ModelReleases.Where(m => m.CompanyId == oneAi && m.Name == "Yi-6B / Yi-34B")
            .Select(m => (int?)m.Id).FirstOrDefaultAsync(ct);
        if (await Find(RecordType.ModelRelease, yi, "A5", "Licence", "Yi License (at release)") is { } atRelease)
        {
            atRelease.ReportedValue = "Yi License";
            atRelease.Claim = "Released under the custom Yi License.";
            changed++;
        }
        if (await Find(RecordType.ModelRelease, yi, "A4", "Licence", "Apache-2.0 (now)") is { } later)
        {
            later.Field = "LicenceLater";
            later.ReportedValue = "Apache-2.0";
            later.Claim = "Listed under Apache-2.0 now; the date of the switch is not verified.";
            changed++;
        }

        // MiniMax's IPO: the base deal and the deal with the over-allotment are two facts.
        var minimax = companies.TryGetValue("minimax", out var m) ? m : (int?)null;
        var ipo = minimax is null ? null : await db.FundingRounds.Where(r => r.CompanyId == minimax && r.Stage == RoundStage.Ipo)
            .Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
        if (await Find(RecordType.FundingRound, ipo, "M15", "Amount", "HK$4.8B with upsize") is { } upsized)
        {
            upsized.Field = "AmountWithOverAllotment";
            upsized.ReportedValue = "HK$4.8B";
            upsized.Claim = "HK$4.8B raised including the over-allotment (the base deal of 25,389,220 shares at HK$165 is HK$4.19B).";
            changed++;
        }

        // Moonshot's "Series B": the old seed stored sentences as label values; the real clash is which round the
        // name belongs to, a company-level fact that writes nothing into a round's label.
        var moonshot = companies.TryGetValue("moonshot-ai", out var k) ? k : (int?)null;
        var rounds = moonshot is null ? [] : await db.FundingRounds.Where(r => r.CompanyId == moonshot).Select(r => r.Id).ToListAsync(ct);
        var invented = await db.Citations.Where(c => c.RecordType == RecordType.FundingRound && c.RecordId != null
                && rounds.Contains(c.RecordId.Value) && c.Field == "LabelAsAnnounced"
                && (c.ReportedValue == "Series B is the Aug 2024 round" || c.ReportedValue == "Series B is the Feb 2024 round"))
            .ToListAsync(ct);
        foreach (var c in invented)
        {
            c.Field = null;
            c.ReportedValue = null;
            changed++;
        }
        if (invented.Count > 0 && moonshot is not null && sources.TryGetValue("K2", out var k2) && sources.TryGetValue("K12", out var k12))
        {
            db.Citations.Add(new Citation { SourceId = k2, RecordType = RecordType.Company, RecordId = moonshot, Field = "SeriesBRound",
                ReportedValue = "Feb 2024 round", Claim = "K2 calls the February 2024 round (over US$1B, led by Alibaba) Series B." });
            db.Citations.Add(new Citation { SourceId = k12, RecordType = RecordType.Company, RecordId = moonshot, Field = "SeriesBRound",
                ReportedValue = "Aug 2024 round", Claim = "K12 calls the August 2024 round (over US$300M, with Tencent) Series B." });
            changed += 2;
        }

        // Statements without a figure were claims of their source alone; they belong to the company they are about.
        foreach (var (sourceKey, slug, claim) in new[]
        {
            ("A12", "01-ai", "01.AI: no new funding round and no IPO plan as of about January 2026."),
            ("M12", "minimax", "MiniMax's 2024 revenue was US$30.5M and its net loss US$465M."),
            ("K6", "moonshot-ai", "Moonshot AI holds cash of over ¥10B and is in no rush to go public."),
        })
        {
            if (!sources.TryGetValue(sourceKey, out var sourceId) || !companies.TryGetValue(slug, out var companyId))
            {
                continue;
            }
            var loose = await db.Citations.FirstOrDefaultAsync(c => c.SourceId == sourceId && c.RecordType == null && c.Claim == claim, ct);
            if (loose is not null)
            {
                loose.RecordType = RecordType.Company;
                loose.RecordId = companyId;
                changed++;
            }
        }
        changed += await MergeFuteng(db, sources, ct);
        await db.SaveChangesAsync(ct);
        return changed;
    }

    /// <summary>
    /// "Futeng Capital" (M10) is Fortera Capital, 孚腾资本 ("Futeng" is its pinyin): one investor, the names kept as
    /// aliases, under SSCIC, the Shanghai state capital investor behind it (T1).
    /// </summary>
    private static async Task<int> MergeFuteng(AppDbContext db, Dictionary<string, int> sources, CancellationToken ct)
    {
        var futeng = await db.Investors.Include(i => i.Participations).FirstOrDefaultAsync(i => i.Slug == "futeng-capital", ct);
        var fortera = await db.Investors.Include(i => i.Participations).FirstOrDefaultAsync(i => i.Slug == "fortera-capital", ct);
        if (futeng is null || fortera is null)
        {
            return 0;
        }
        var changed = 0;
        foreach (var p in futeng.Participations.ToList())
        {
            if (fortera.Participations.Any(x => x.FundingRoundId == p.FundingRoundId))
            {
                // Already in the round under its other name: one participation is enough; its citations follow it.
                var kept = fortera.Participations.First(x => x.FundingRoundId == p.FundingRoundId);
                kept.IsLead |= p.IsLead;
                await db.Citations.Where(c => c.RecordType == RecordType.Participation && c.RecordId == p.Id)
                    .ExecuteUpdateAsync(u => u.SetProperty(c => c.RecordId, kept.Id), ct);
                db.Participations.Remove(p);
            }
            else
            {
                p.InvestorId = fortera.Id;
            }
            changed++;
        }
        await db.Citations.Where(c => c.RecordType == RecordType.Investor && c.RecordId == futeng.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.RecordId, fortera.Id), ct);
        fortera.NameZh ??= "孚腾资本";
        foreach (var alias in new[] { "Futeng", "Futeng Capital" }.Concat(futeng.Aliases))
        {
            if (!fortera.Aliases.Contains(alias, StringComparer.OrdinalIgnoreCase))
            {
                fortera.Aliases = [.. fortera.Aliases, alias];
            }
        }
        fortera.Aliases = fortera.Aliases.Where(a => a != "SSCIC").ToList(); // the parent's name, not Fortera's
        if (fortera.ParentId is null)
        {
            var parent = await db.Investors.FirstOrDefaultAsync(i => i.Slug == "sscic", ct);
            if (parent is null)
            {
                parent = new Investor
                {
                    Slug = "sscic", NameEn = "Shanghai State-owned Capital Investment (SSCIC)", NameZh = "上海国有资本投资有限公司",
                    Aliases = ["SSCIC", "上海国投"], Kind = InvestorKind.StateBackedFund, Country = "CN",
                    Summary = "Shanghai's state-owned capital investment company, behind Fortera Capital.",
                };
                db.Investors.Add(parent);
                await db.SaveChangesAsync(ct);
                if (sources.TryGetValue("T1", out var t1))
                {
                    db.Citations.Add(new Citation { SourceId = t1, RecordType = RecordType.Investor, RecordId = parent.Id });
                }
            }
            fortera.Parent = parent;
        }
        db.Investors.Remove(futeng);
        return changed + 1;
    }
}
