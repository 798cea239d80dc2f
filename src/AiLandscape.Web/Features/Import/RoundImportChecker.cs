using System.Globalization;
using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.RoundLabels;
using AiLandscape.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;
using C = AiLandscape.Web.Features.Import.RoundCsvColumns;

namespace AiLandscape.Web.Features.Import;

/// <summary>
/// The second step of the round import: rows to a preview. Matches the names, completes each row's request, runs the
/// form's own rules and finds duplicates, giving each row its status and per-cell errors. Reads, never writes; the
/// commit runs it again inside its transaction.
/// </summary>
internal static class RoundImportChecker
{
    /// <summary>Matches names, builds each row's request, runs the form's rules and finds duplicates.</summary>
    public static async Task CheckAsync(AppDbContext db, ImportPreview preview, CancellationToken ct)
    {
        var rows = preview.Rows;
        await MatchNamesAsync(db, rows, ct);
        var stored = await StoredData.LoadAsync(db, rows, ct);
        await StagesFromLabelsAsync(db, rows, ct);

        var earlier = new List<(ImportRow Row, DuplicateKey Key)>();
        foreach (var row in rows)
        {
            CheckRow(row, stored, earlier);
        }
    }

    /// <summary>Gives every company and investor name its candidates: two commands for the whole file.</summary>
    private static async Task MatchNamesAsync(AppDbContext db, IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var companyNames = rows.Where(r => r.Company is not null).Select(r => Key(r.Company!.Name)).Distinct().ToList();
        var companies = await db.Companies.AsNoTracking()
            .Where(c => companyNames.Contains(c.NameEn.ToLower()) || companyNames.Contains(c.NameZh!.ToLower())
                        || companyNames.Contains(c.Slug) || c.Aliases.Any(a => companyNames.Contains(a.ToLower())))
            .Select(c => new { c.Id, c.Slug, c.NameEn, c.NameZh, c.Aliases })
            .ToListAsync(ct);
        var investorNames = rows.SelectMany(r => r.Investors).Select(i => Key(i.Name)).Distinct().ToList();
        var investors = await db.Investors.AsNoTracking()
            .Where(i => investorNames.Contains(i.NameEn.ToLower()) || investorNames.Contains(i.NameZh!.ToLower())
                        || investorNames.Contains(i.Slug) || i.Aliases.Any(a => investorNames.Contains(a.ToLower())))
            .Select(i => new { i.Id, i.Slug, i.NameEn, i.NameZh, i.Aliases })
            .ToListAsync(ct);
        foreach (var row in rows)
        {
            if (row.Company is { } c)
            {
                SetCandidates(c, companies.Where(x => Same(c.Name, x.NameEn, x.NameZh, x.Slug, x.Aliases))
                    .Select(x => new NameCandidate(x.Id, x.Slug, x.NameEn, x.NameZh)));
            }
            foreach (var i in row.Investors)
            {
                SetCandidates(i, investors.Where(x => Same(i.Name, x.NameEn, x.NameZh, x.Slug, x.Aliases))
                    .Select(x => new NameCandidate(x.Id, x.Slug, x.NameEn, x.NameZh)));
            }
        }
    }

    private static void SetCandidates(NameMatch match, IEnumerable<NameCandidate> candidates)
    {
        match.Candidates = candidates.DistinctBy(c => c.Id).OrderBy(c => c.NameEn, StringComparer.OrdinalIgnoreCase).ToList();
        if (match.ChosenId is { } id && match.Candidates.All(c => c.Id != id))
        {
            match.ChosenId = null;
        }
        if (!match.IsUnknown)
        {
            match.CreateNew = false;
        }
    }

    /// <summary>
    /// Rows with no stage take their label's from the table: one command for the whole file. Done on every check, so a
    /// label added to the table between the preview and the commit counts.
    /// </summary>
    private static async Task StagesFromLabelsAsync(AppDbContext db, IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var stageless = rows.Where(r => string.IsNullOrWhiteSpace(r.Cell(C.Stage))).ToList();
        var labelStages = await RoundLabelService.StagesForAsync(db, stageless.Select(r => r.Request!.LabelAsAnnounced), ct);
        foreach (var row in stageless)
        {
            row.Request!.Stage = labelStages.TryGetValue(RoundLabels.RoundLabels.Normalize(row.Request.LabelAsAnnounced), out var s) ? s : null;
        }
    }

    private static void CheckRow(ImportRow row, StoredData stored, List<(ImportRow Row, DuplicateKey Key)> earlier)
    {
        var r = row.Request!;
        row.Errors.Clear();
        row.Warnings.Clear();
        row.Errors.AddRange(row.ParseErrors);
        row.DuplicateOf = null;
        row.DuplicateRoundId = null;

        CheckStage(row, r);
        var needsChoice = CheckCompany(row, r);
        var participationColumns = new List<string>();
        needsChoice |= SetParticipations(row, r, stored.TakenSlugs, participationColumns);
        SetSources(row, r, stored.KnownSources);
        RunFormRules(row, r, participationColumns);
        row.Summary = string.Join(" · ", new[]
        {
            r.LabelAsAnnounced ?? (r.Stage is { } stage ? Format.Stage(stage) : "no stage"), r.AnnouncedOn ?? "undated",
            Format.RoundSize(r.Disclosure, r.Currency, r.Amount, r.AmountIsApproximate, r.AmountMin, r.AmountMax),
        });
        FindDuplicate(row, r, stored.Rounds, earlier);

        row.Status = row.DuplicateOf is not null ? ImportRowStatus.Duplicate
            : row.Errors.Count > 0 ? ImportRowStatus.Error
            : needsChoice ? ImportRowStatus.NeedsChoice
            : ImportRowStatus.New;
    }

    private static void CheckStage(ImportRow row, RoundRequest r)
    {
        if (r.Stage is null)
        {
            row.Errors.Add(new ImportProblem(C.Stage, r.LabelAsAnnounced is null
                ? $"is required when the label is empty: one of {string.Join(", ", Enum.GetValues<RoundStage>())}."
                : $"is empty and the label “{r.LabelAsAnnounced}” is not in the round label table (/round-labels): give a stage (one of {string.Join(", ", Enum.GetValues<RoundStage>())}) or add the label to the table."));
        }
    }

    /// <summary>Sets the request's company; true when the name matched several and the editor has not chosen.</summary>
    private static bool CheckCompany(ImportRow row, RoundRequest r)
    {
        var company = row.Company?.Resolved;
        r.CompanyId = company?.Id ?? 0;
        if (row.Company is null)
        {
            row.Errors.Add(new ImportProblem(C.Company, "Company is required: its English or Chinese name, or an alias."));
        }
        else if (row.Company.IsUnknown)
        {
            row.Errors.Add(new ImportProblem(C.Company,
                $"no company is called “{row.Company.Name}” (English or Chinese name, or alias); add the company first."));
        }
        else if (company is null)
        {
            return true;
        }
        return false;
    }

    /// <summary>
    /// Sets the request's participations from the settled investor names, noting each one's column for the form's
    /// messages; true when a name still waits for the editor's choice.
    /// </summary>
    private static bool SetParticipations(ImportRow row, RoundRequest r, Dictionary<string, string> takenSlugs, List<string> participationColumns)
    {
        var needsChoice = false;
        r.Participations = [];
        foreach (var i in row.Investors)
        {
            if (i.Resolved is { } investor)
            {
                r.Participations.Add(new ParticipationInput { InvestorId = investor.Id, InvestorName = investor.NameEn, IsLead = i.IsLead });
            }
            else if (i.IsUnknown && i.CreateNew)
            {
                r.Participations.Add(new ParticipationInput { IsNewInvestor = true, NewInvestorNameEn = i.Name, IsLead = i.IsLead });
                var slug = Validator.SlugFrom(i.Name);
                if (takenSlugs.TryGetValue(slug, out var owner))
                {
                    row.Errors.Add(new ImportProblem(i.Column, $"a new investor “{i.Name}” would clash with {owner}; write that name instead."));
                }
                else if (slug.Length == 0)
                {
                    row.Errors.Add(new ImportProblem(i.Column, $"a new investor “{i.Name}” needs an English name with at least one letter or digit (a–z, 0–9)."));
                }
            }
            else
            {
                needsChoice = true;
                continue;
            }
            participationColumns.Add(i.Column);
        }
        return needsChoice;
    }

    /// <summary>A source already stored under the URL is cited as it is; otherwise the row's source is new.</summary>
    private static void SetSources(ImportRow row, RoundRequest r, Dictionary<string, int> knownSources)
    {
        var url = row.Cell(C.SourceUrl).Trim();
        var title = row.Cell(C.SourceTitle).Trim();
        r.Sources = url.Length > 0 && knownSources.TryGetValue(url, out var sourceId)
            ? [new SourceInput { SourceId = sourceId }]
            : url.Length == 0 && title.Length == 0
                ? []
                : [new SourceInput { Url = url, Title = title, Publisher = row.Cell(C.SourcePublisher).Trim(), PublishedOn = row.Cell(C.SourcePublished).Trim() }];
    }

    /// <summary>The form's own rules, with each field named by its column; one error per column.</summary>
    private static void RunFormRules(ImportRow row, RoundRequest r, List<string> participationColumns)
    {
        var v = new Validator();
        r.Validate(v);
        foreach (var e in v.Errors)
        {
            var column = ColumnOf(e.Field, participationColumns);
            if (!row.Errors.Any(x => x.Column == column))
            {
                row.Errors.Add(new ImportProblem(column, e.Message));
            }
        }
        row.Warnings.AddRange(v.Warnings.Select(w => new ImportProblem(ColumnOf(w.Field, participationColumns), w.Message)));
    }

    /// <summary>A duplicate: same company, stage, announced month (or both undated), currency and amounts.</summary>
    private static void FindDuplicate(ImportRow row, RoundRequest r, List<StoredRound> stored, List<(ImportRow Row, DuplicateKey Key)> earlier)
    {
        if (row.Company?.Resolved is null || r.Stage is null
            || row.ParseErrors.Any(e => e.Column is C.Stage or C.Amount or C.AmountMin or C.AmountMax)
            || (r.AnnouncedOn is not null && !PartialDates.TryParse(r.AnnouncedOn, out _, out _)))
        {
            return;
        }
        var key = DuplicateKey.Of(r);
        var twin = stored.FirstOrDefault(s => s.CompanyId == r.CompanyId && key.Equals(DuplicateKey.Of(s)));
        if (twin is not null)
        {
            row.DuplicateRoundId = twin.Id;
            row.DuplicateOf = $"#{twin.Id} {twin.CompanyName} {twin.LabelAsAnnounced ?? Format.Stage(twin.Stage)}, "
                              + $"{PartialDates.Write(twin.AnnouncedOn, twin.AnnouncedPrecision) ?? "undated"}, "
                              + Format.RoundSize(twin.Disclosure, twin.Currency.Trim(), twin.Amount, twin.AmountIsApproximate, twin.AmountMin, twin.AmountMax);
        }
        else if (earlier.FirstOrDefault(e => e.Row.Request!.CompanyId == r.CompanyId && e.Key.Equals(key)) is { Row: { } first })
        {
            row.DuplicateOf = $"line {first.Line} of this file";
        }
        else
        {
            earlier.Add((row, key));
        }
    }

    /// <summary>The CSV column a request field comes from.</summary>
    private static string ColumnOf(string field, List<string> participationColumns)
    {
        if (field.StartsWith("Participations[", StringComparison.Ordinal)
            && int.TryParse(field.AsSpan(15, field.IndexOf(']', StringComparison.Ordinal) - 15), CultureInfo.InvariantCulture, out var index)
            && index < participationColumns.Count)
        {
            return participationColumns[index];
        }
        return field switch
        {
            nameof(RoundRequest.CompanyId) => C.Company,
            nameof(RoundRequest.AnnouncedOn) => C.Announced,
            nameof(RoundRequest.ClosedOn) => C.Closed,
            nameof(RoundRequest.LabelAsAnnounced) => C.Label,
            nameof(RoundRequest.Stage) => C.Stage,
            nameof(RoundRequest.Currency) => C.Currency,
            nameof(RoundRequest.Amount) => C.Amount,
            nameof(RoundRequest.AmountMin) => C.AmountMin,
            nameof(RoundRequest.AmountMax) => C.AmountMax,
            nameof(RoundRequest.AmountText) => C.AmountText,
            nameof(RoundRequest.PostMoneyValuation) => C.PostMoney,
            nameof(RoundRequest.PostMoneyCurrency) => C.PostMoneyCurrency,
            nameof(RoundRequest.Notes) => C.Notes,
            RecordSources.Field or "Sources[0].Url" => C.SourceUrl,
            "Sources[0].Title" => C.SourceTitle,
            "Sources[0].Publisher" => C.SourcePublisher,
            "Sources[0].PublishedOn" => C.SourcePublished,
            _ => field,
        };
    }

    private static string Key(string name) => name.Trim().ToLowerInvariant();

    private static bool Same(string name, string nameEn, string? nameZh, string slug, IEnumerable<string> aliases)
    {
        var key = Key(name);
        return Key(nameEn) == key || (nameZh is not null && Key(nameZh) == key) || slug == key || aliases.Any(a => Key(a) == key);
    }

    /// <summary>What the rows are checked against: the matched companies' rounds, the sources and slugs already taken.</summary>
    private sealed record StoredData(List<StoredRound> Rounds, Dictionary<string, int> KnownSources, Dictionary<string, string> TakenSlugs)
    {
        /// <summary>Three commands for the whole file, after the names are matched.</summary>
        public static async Task<StoredData> LoadAsync(AppDbContext db, IReadOnlyList<ImportRow> rows, CancellationToken ct)
        {
            var companyIds = rows.Select(r => r.Company?.Resolved?.Id).OfType<int>().Distinct().ToList();
            var stored = await db.FundingRounds.AsNoTracking().Where(r => companyIds.Contains(r.CompanyId))
                .Select(r => new StoredRound(r.Id, r.CompanyId, r.Company.NameEn, r.Stage, r.LabelAsAnnounced, r.AnnouncedOn,
                    r.AnnouncedPrecision, r.Disclosure, r.Currency, r.Amount, r.AmountIsApproximate, r.AmountMin, r.AmountMax))
                .ToListAsync(ct);
            var urls = rows.Select(r => r.Cell(C.SourceUrl).Trim()).Where(u => u.Length > 0).Distinct().ToList();
            var knownSources = (await db.Sources.AsNoTracking().Where(s => urls.Contains(s.Url!))
                    .Select(s => new { s.Id, s.Url }).ToListAsync(ct))
                .GroupBy(s => s.Url!).ToDictionary(g => g.Key, g => g.Min(s => s.Id));
            var newNames = rows.SelectMany(r => r.Investors).Where(i => i.IsUnknown && i.CreateNew)
                .Select(i => Validator.SlugFrom(i.Name)).Distinct().ToList();
            var takenSlugs = await db.Investors.AsNoTracking().Where(i => newNames.Contains(i.Slug))
                .Select(i => new { i.Slug, i.NameEn }).ToDictionaryAsync(i => i.Slug, i => i.NameEn, ct);
            return new StoredData(stored, knownSources, takenSlugs);
        }
    }

    private sealed record StoredRound(int Id, int CompanyId, string CompanyName, RoundStage Stage, string? LabelAsAnnounced,
        DateOnly? AnnouncedOn, DatePrecision AnnouncedPrecision, Disclosure Disclosure, string Currency, decimal? Amount,
        bool AmountIsApproximate, decimal? AmountMin, decimal? AmountMax);

    /// <summary>What makes two rounds of one company the same: stage, announced month, currency and the amounts stored.</summary>
    private readonly record struct DuplicateKey(RoundStage Stage, int? Month, string Currency, decimal? Amount, decimal? Min, decimal? Max)
    {
        public static DuplicateKey Of(RoundRequest r)
        {
            var single = r.Disclosure is Disclosure.Disclosed or Disclosure.Estimated;
            var range = r.Disclosure == Disclosure.Range;
            return new DuplicateKey(r.Stage!.Value, MonthOf(PartialDates.ParseOrNull(r.AnnouncedOn)), r.Currency.Trim(),
                single ? r.Amount : null, range ? r.AmountMin : null, range ? r.AmountMax : null);
        }

        public static DuplicateKey Of(StoredRound s) =>
            new(s.Stage, MonthOf(s.AnnouncedOn), s.Currency.Trim(), s.Amount, s.AmountMin, s.AmountMax);

        private static int? MonthOf(DateOnly? d) => d is { } x ? x.Year * 12 + x.Month : null;
    }
}
