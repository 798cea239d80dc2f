using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.RoundLabels;
using AiLandscape.Web.Features.Search;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Rounds;

/// <summary>Adding, correcting and deleting funding rounds with their investors and sources.</summary>
public sealed class RoundEditService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer, RoundLabelService labels) : IEditService<RoundRequest>
{
    /// <summary>An empty form for a new round of the company, or null when there is no such company.</summary>
    public async Task<RoundForm?> NewAsync(string companySlug, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var company = await db.Companies.AsNoTracking().Where(c => c.Slug == companySlug)
            .Select(c => new { c.Id, c.Slug, c.NameEn }).FirstOrDefaultAsync(ct);
        return company is null ? null
            : new RoundForm(new RoundRequest { CompanyId = company.Id }, company.Slug, company.NameEn);
    }

    /// <summary>The form of an existing round, or null when it does not exist.</summary>
    public async Task<RoundForm?> EditAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var loadedAt = DateTimeOffset.UtcNow;
        var r = await db.FundingRounds.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new
            {
                Round = x, x.Company.Slug, x.Company.NameEn,
                Participations = x.Participations.OrderByDescending(p => p.IsLead).ThenBy(p => p.Investor.NameEn)
                    .Select(p => new ParticipationInput
                    {
                        Id = p.Id, InvestorId = p.InvestorId, InvestorName = p.Investor.NameEn, IsLead = p.IsLead, Amount = p.Amount,
                    }).ToList(),
            })
            .FirstOrDefaultAsync(ct);
        if (r is null)
        {
            return null;
        }
        var x = r.Round;
        var request = new RoundRequest
        {
            Id = x.Id, Version = x.Version, LoadedAt = loadedAt, CompanyId = x.CompanyId,
            AnnouncedOn = PartialDates.Write(x.AnnouncedOn, x.AnnouncedPrecision),
            ClosedOn = PartialDates.Write(x.ClosedOn, DatePrecision.Day),
            LabelAsAnnounced = x.LabelAsAnnounced, Stage = x.Stage, Status = x.Status, Disclosure = x.Disclosure,
            Currency = x.Currency, Amount = Decimals.Plain(x.Amount), AmountIsApproximate = x.AmountIsApproximate,
            AmountMin = Decimals.Plain(x.AmountMin), AmountMax = Decimals.Plain(x.AmountMax), AmountText = x.AmountText,
            PostMoneyValuation = Decimals.Plain(x.PostMoneyValuation), PostMoneyCurrency = x.PostMoneyCurrency,
            PostMoneyQualifier = x.PostMoneyQualifier,
            PostMoneyIsEstimate = x.PostMoneyIsEstimate, IsUnverified = x.IsUnverified, Notes = x.Notes,
            Participations = r.Participations.Select(p => { p.Amount = Decimals.Plain(p.Amount); return p; }).ToList(),
            Sources = await RecordSources.LoadAsync(db, RecordType.FundingRound, id, ct),
        };
        return new RoundForm(request, r.Slug, r.NameEn);
    }

    public async Task<IReadOnlyList<InvestorOption>> SearchInvestorsAsync(string? text, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Investors.AsNoTracking().Matching(TextSearch.Parse(text))
            .OrderBy(i => i.NameEn).Take(20)
            .Select(i => new InvestorOption(i.Id, i.NameEn, i.NameZh, i.Slug))
            .ToListAsync(ct);
    }

    public async Task<IReadOnlyList<SourceOption>> SearchSourcesAsync(string? text, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await RecordSources.SearchAsync(db, text, ct);
    }

    /// <summary>The label table's stage for a label the editor types (the form's hint), or null.</summary>
    public Task<RoundLabelMatch?> MatchLabelAsync(string? label, CancellationToken ct = default) => labels.MatchAsync(label, ct);

    public async Task<SaveResult> SaveAsync(RoundRequest r, CancellationToken ct = default)
    {
        writer.EnsureCanEdit(); // before validating: a refused user learns nothing about the data
        if (r.Stage is null && !string.IsNullOrWhiteSpace(r.LabelAsAnnounced))
        {
            // The form fills the stage as the editor types; an API request may give only the label.
            r.Stage = await labels.StageForAsync(r.LabelAsAnnounced, ct);
        }
        var v = new Validator();
        r.Validate(v);
        if (!v.IsValid)
        {
            return SaveResult.Invalid(v.Errors);
        }
        return await writer.SaveAsync(r.LoadedAt, async (edit, token) =>
        {
            var db = edit.Db;
            var company = await db.Companies.AsNoTracking().Where(c => c.Id == r.CompanyId)
                .Select(c => new { c.Id, c.NameEn }).FirstOrDefaultAsync(token);
            if (company is null)
            {
                return SaveResult.Invalid(nameof(r.CompanyId), "Company: that company does not exist (any more).");
            }
            if (await CheckReferencesAsync(db, r, token) is { } problem)
            {
                return SaveResult.Invalid([problem]);
            }
            PartialDates.TryParse(r.AnnouncedOn, out var announced, out var precision);
            var announcedOn = string.IsNullOrWhiteSpace(r.AnnouncedOn) ? (DateOnly?)null : announced;
            var warnings = v.Warnings.ToList();
            var stage = r.Stage!.Value;
            if (announcedOn is { } day)
            {
                var month = new DateOnly(day.Year, day.Month, 1);
                var twin = await db.FundingRounds.AsNoTracking()
                    .Where(x => x.CompanyId == r.CompanyId && x.Stage == stage && x.Id != r.Id
                                && x.AnnouncedOn >= month && x.AnnouncedOn < month.AddMonths(1))
                    .Select(x => new { x.Id, x.AnnouncedOn, x.AnnouncedPrecision }).FirstOrDefaultAsync(token);
                if (twin is not null)
                {
                    warnings.Add(new FieldMessage(nameof(r.AnnouncedOn),
                        $"{company.NameEn} already has a {Format.Stage(stage)} round announced {Format.Date(twin.AnnouncedOn, twin.AnnouncedPrecision)} (#{twin.Id}): is this a duplicate?"));
                }
            }
            if (warnings.Count > 0 && !r.Confirmed)
            {
                return SaveResult.Confirm(warnings);
            }

            FundingRound round;
            if (r.Id is { } id)
            {
                var existing = await db.FundingRounds.Include(x => x.Participations).FirstOrDefaultAsync(x => x.Id == id, token);
                if (existing is null || existing.CompanyId != r.CompanyId)
                {
                    return SaveResult.NotFound("This round has been deleted by another editor.");
                }
                round = existing;
                edit.ExpectVersion(round, r.Version, r.Overwrite);
            }
            else
            {
                round = new FundingRound { CompanyId = r.CompanyId, Currency = r.Currency };
                db.FundingRounds.Add(round);
            }

            Apply(r, round, announcedOn, precision);
            await SyncParticipationsAsync(db, r, round, token);
            await RecordSources.ApplyAsync(edit, RecordType.FundingRound, round, r.Id, r.Sources, token);

            edit.Subject = round;
            edit.CompanyId = r.CompanyId;
            edit.RefreshFiguresOf(r.CompanyId);
            edit.Summary = $"{(r.Id is null ? "Added" : "Changed")} {Format.Stage(r.Stage!.Value)} round of {company.NameEn}";
            return null;
        }, ct);
    }

    public Task<SaveResult> DeleteAsync(int id, uint version, CancellationToken ct = default) =>
        writer.SaveAsync(DateTimeOffset.UtcNow, async (edit, token) =>
        {
            var db = edit.Db;
            var round = await db.FundingRounds.Include(x => x.Participations).Include(x => x.Company)
                .FirstOrDefaultAsync(x => x.Id == id, token);
            if (round is null)
            {
                return SaveResult.NotFound("This round has already been deleted.");
            }
            edit.ExpectVersion(round, version, overwrite: false);
            // Valuations that came from this round stay, without the link (and that is audited too).
            foreach (var valuation in await db.ValuationPoints.Where(x => x.FundingRoundId == id).ToListAsync(token))
            {
                valuation.FundingRoundId = null;
            }
            foreach (var p in round.Participations)
            {
                await RecordSources.RemoveAllAsync(db, RecordType.Participation, p.Id, token);
            }
            await RecordSources.RemoveAllAsync(db, RecordType.FundingRound, id, token);
            db.Participations.RemoveRange(round.Participations);
            db.FundingRounds.Remove(round);
            edit.CompanyId = round.CompanyId;
            edit.RefreshFiguresOf(round.CompanyId);
            edit.Summary = $"Deleted {Format.Stage(round.Stage)} round of {round.Company.NameEn}";
            return null;
        }, ct);

    private static async Task<FieldMessage?> CheckReferencesAsync(AppDbContext db, RoundRequest r, CancellationToken ct)
    {
        var ids = r.Participations.Where(p => p.InvestorId is not null).Select(p => p.InvestorId!.Value).ToList();
        var found = await db.Investors.Where(i => ids.Contains(i.Id)).Select(i => i.Id).ToListAsync(ct);
        var missing = r.Participations.FindIndex(p => p.InvestorId is { } i && !found.Contains(i));
        if (missing >= 0)
        {
            return new FieldMessage($"Participations[{missing}].Investor", $"Investor {missing + 1}: that investor has been deleted; choose another.");
        }
        for (var i = 0; i < r.Participations.Count; i++)
        {
            var p = r.Participations[i];
            if (!p.IsNewInvestor || p.InvestorId is not null)
            {
                continue;
            }
            var name = p.NewInvestorNameEn!.Trim();
            var slug = Validator.SlugFrom(name);
            var clash = await db.Investors.AsNoTracking()
                .Where(x => x.Slug == slug || x.NameEn.ToLower() == name.ToLower())
                .Select(x => x.NameEn).FirstOrDefaultAsync(ct);
            if (clash is not null)
            {
                return new FieldMessage($"Participations[{i}].NewInvestorNameEn",
                    $"Investor {i + 1}: {clash} already exists; choose it instead of adding it again.");
            }
            if (slug.Length == 0)
            {
                return new FieldMessage($"Participations[{i}].NewInvestorNameEn",
                    $"Investor {i + 1}: the English name needs at least one letter or digit (a–z, 0–9).");
            }
        }
        return await RecordSources.CheckExistAsync(db, r.Sources, ct);
    }

    /// <summary>Copies the request's fields onto the round; the CSV import writes rounds the same way.</summary>
    internal static void Apply(RoundRequest r, FundingRound round, DateOnly? announcedOn, DatePrecision precision)
    {
        round.AnnouncedOn = announcedOn;
        round.AnnouncedPrecision = announcedOn is null ? DatePrecision.Day : precision;
        round.ClosedOn = PartialDates.ParseOrNull(r.ClosedOn);
        round.LabelAsAnnounced = Clean(r.LabelAsAnnounced);
        round.Stage = r.Stage!.Value; // validated: never null here
        round.Status = r.Status;
        round.Disclosure = r.Disclosure;
        round.Currency = r.Currency;
        var single = r.Disclosure is Disclosure.Disclosed or Disclosure.Estimated;
        round.Amount = single ? r.Amount : null;
        round.AmountIsApproximate = single && r.AmountIsApproximate;
        round.AmountMin = r.Disclosure == Disclosure.Range ? r.AmountMin : null;
        round.AmountMax = r.Disclosure == Disclosure.Range ? r.AmountMax : null;
        round.AmountText = Clean(r.AmountText);
        round.PostMoneyValuation = r.PostMoneyValuation;
        round.PostMoneyCurrency = r.PostMoneyValuation is null ? null : r.PostMoneyCurrency ?? r.Currency;
        round.PostMoneyIsEstimate = r.PostMoneyValuation is not null && r.PostMoneyIsEstimate;
        round.PostMoneyQualifier = r.PostMoneyValuation is null ? FigureQualifier.Exact : r.PostMoneyQualifier;
        round.IsUnverified = r.IsUnverified;
        round.Notes = Clean(r.Notes);
    }

    private static async Task SyncParticipationsAsync(AppDbContext db, RoundRequest r, FundingRound round, CancellationToken ct)
    {
        var kept = r.Participations.Where(p => p.Id is not null).Select(p => p.Id!.Value).ToHashSet();
        foreach (var gone in round.Participations.Where(p => !kept.Contains(p.Id)).ToList())
        {
            await RecordSources.RemoveAllAsync(db, RecordType.Participation, gone.Id, ct);
            db.Participations.Remove(gone);
        }
        foreach (var input in r.Participations)
        {
            var participation = input.Id is { } pid ? round.Participations.FirstOrDefault(p => p.Id == pid) : null;
            if (participation is null)
            {
                participation = new Participation();
                round.Participations.Add(participation);
            }
            if (input.InvestorId is { } investorId)
            {
                participation.InvestorId = investorId;
            }
            else
            {
                var name = input.NewInvestorNameEn!.Trim();
                participation.Investor = new Investor
                {
                    Slug = Validator.SlugFrom(name), NameEn = name, NameZh = Clean(input.NewInvestorNameZh),
                    Kind = input.NewInvestorKind,
                };
            }
            participation.IsLead = input.IsLead;
            participation.Amount = input.Amount;
            participation.Currency = input.Amount is null ? null : participation.Currency ?? r.Currency;
        }
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
