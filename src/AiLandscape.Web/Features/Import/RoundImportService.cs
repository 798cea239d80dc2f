using System.Globalization;
using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.RoundLabels;
using AiLandscape.Web.Features.Rounds;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using C = AiLandscape.Web.Features.Import.RoundCsvColumns;

namespace AiLandscape.Web.Features.Import;

/// <summary>
/// Bulk import of funding rounds from CSV: read and check the file (a preview with a status per row), let the editor
/// settle ambiguous names, then write every valid new row in one audited transaction. Each row becomes a
/// <see cref="RoundRequest"/> checked by the form's own rules; nothing is written before <see cref="CommitAsync"/>.
/// </summary>
public sealed class RoundImportService(IDbContextFactory<AppDbContext> factory, AuditedWriter writer, ILogger<RoundImportService> log)
{
    public const long MaxFileBytes = 2 * 1024 * 1024;
    public const int MaxRows = 2000;

    // No stage column is fine: the label column's labels can give the stages through the round label table.
    private static readonly string[] RequiredColumns = [C.Company, C.Currency, C.SourceUrl, C.SourceTitle];
    private static readonly char[] InjectionCharacters = ['=', '+', '-', '@'];

    /// <summary>Reads the file and checks every row against the stored data. Writes nothing.</summary>
    public async Task<ImportPreview> PreviewAsync(Stream csv, string fileName, CancellationToken ct = default)
    {
        writer.EnsureCanEdit(); // before reading: a refused user learns nothing about the data
        var bytes = await ReadAllAsync(csv, ct);
        var preview = bytes is null
            ? new ImportPreview { FileName = fileName, FileErrors = [new ImportProblem("", $"The file is larger than {MaxFileBytes / 1024 / 1024} MB; split it.")] }
            : Parse(bytes, fileName);
        if (preview.FileErrors.Count == 0)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            await CheckAsync(db, preview, ct);
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
        await CheckAsync(db, preview, ct);
    }

    /// <summary>
    /// Writes every row that is still new and valid when checked again inside the transaction, each round with its
    /// participations and source, in one change with its audit entries; the companies' figures are refreshed.
    /// </summary>
    public async Task<ImportCommitResult> CommitAsync(ImportPreview preview, CancellationToken ct = default)
    {
        writer.EnsureCanEdit();
        if (preview.FileErrors.Count > 0)
        {
            return new ImportCommitResult(SaveResult.Invalid(preview.FileErrors.Select(e => new FieldMessage(e.Column, e.Message))), [], []);
        }
        var written = new List<FundingRound>();
        var slugs = new List<string>();
        var result = await writer.SaveAsync(preview.LoadedAt, async (edit, token) =>
        {
            written.Clear();
            slugs.Clear();
            var db = edit.Db;
            // Another editor may have added one of these rounds since the preview: check again in the transaction.
            await CheckAsync(db, preview, token);
            var rows = preview.Rows.Where(r => r.Status == ImportRowStatus.New).ToList();
            if (rows.Count == 0)
            {
                return SaveResult.Invalid("", "There is no new valid row to import.");
            }
            var newInvestors = new Dictionary<string, Investor>(StringComparer.OrdinalIgnoreCase);
            var newSources = new Dictionary<string, Source>(StringComparer.Ordinal);
            var citations = new List<(FundingRound Round, Citation Citation)>();
            foreach (var row in rows)
            {
                var r = row.Request!;
                var round = new FundingRound { CompanyId = r.CompanyId, Currency = r.Currency };
                PartialDates.TryParse(r.AnnouncedOn, out var announced, out var precision);
                RoundEditService.Apply(r, round, string.IsNullOrWhiteSpace(r.AnnouncedOn) ? null : announced, precision);
                foreach (var p in r.Participations)
                {
                    var participation = new Participation { IsLead = p.IsLead };
                    if (p.InvestorId is { } investorId)
                    {
                        participation.InvestorId = investorId;
                    }
                    else
                    {
                        // One new investor named in several rows is added once.
                        var name = p.NewInvestorNameEn!.Trim();
                        if (!newInvestors.TryGetValue(name, out var investor))
                        {
                            investor = new Investor { Slug = Validator.SlugFrom(name), NameEn = name, Kind = p.NewInvestorKind };
                            newInvestors[name] = investor;
                        }
                        participation.Investor = investor;
                    }
                    round.Participations.Add(participation);
                }
                db.FundingRounds.Add(round);
                foreach (var s in r.Sources)
                {
                    if (s.SourceId is { } sourceId)
                    {
                        citations.Add((round, new Citation { SourceId = sourceId, RecordType = RecordType.FundingRound }));
                        continue;
                    }
                    var url = s.Url!.Trim();
                    if (!newSources.TryGetValue(url, out var source))
                    {
                        var published = PartialDates.TryParse(s.PublishedOn, out var on, out var onPrecision);
                        source = new Source
                        {
                            Url = url, Title = s.Title!.Trim(),
                            Publisher = string.IsNullOrWhiteSpace(s.Publisher) ? null : s.Publisher.Trim(),
                            PublishedOn = published ? on : null, PublishedPrecision = published ? onPrecision : DatePrecision.Day,
                        };
                        newSources[url] = source;
                        db.Sources.Add(source);
                    }
                    citations.Add((round, new Citation { Source = source, RecordType = RecordType.FundingRound }));
                }
                edit.RefreshFiguresOf(r.CompanyId);
                written.Add(round);
                slugs.Add(row.Company!.Resolved!.Slug);
            }
            // Citations point at their round by id, which exists once the rounds are saved.
            edit.OnSaved(() =>
            {
                foreach (var (round, citation) in citations)
                {
                    citation.RecordId = round.Id;
                    db.Citations.Add(citation);
                }
            });
            var companies = rows.Select(r => r.Request!.CompanyId).Distinct().ToList();
            edit.CompanyId = companies.Count == 1 ? companies[0] : null;
            edit.Summary = $"Imported {rows.Count} funding round{(rows.Count == 1 ? "" : "s")} from {preview.FileName}";
            return null;
        }, ct);
        return new ImportCommitResult(result, result.Succeeded ? written.Select(r => r.Id).ToList() : [],
            result.Succeeded ? slugs.Distinct().ToList() : []);
    }

    private static async Task<byte[]?> ReadAllAsync(Stream csv, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await csv.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    internal static ImportPreview Parse(byte[] bytes, string fileName)
    {
        var options = new CsvReaderOptions { TrimWhitespace = true, TrackLineNumbers = true, MaxRecordSize = 256 * 1024 };
        var data = bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }) ? bytes[3..] : bytes;
        var rows = new List<ImportRow>();
        using var reader = CsvReader.Create(data, options);
        IReadOnlyList<string> headers;
        try
        {
            reader.ReadHeader();
            headers = [.. reader.Headers.Select(h => h.Trim().ToLowerInvariant())];
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or InvalidDataException)
        {
            return new ImportPreview { FileName = fileName, FileErrors = [new ImportProblem("", "The file is not readable as CSV: " + ex.Message)] };
        }
        var missing = RequiredColumns.Where(c => !headers.Contains(c)).ToList();
        if (headers.Count == 0 || missing.Count > 0)
        {
            return new ImportPreview
            {
                FileName = fileName,
                FileErrors = [new ImportProblem("", $"The header row lacks the column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}. "
                                                    + "The first row must name the columns described in docs/import/rounds.md.")],
            };
        }
        var ignored = headers.Where(h => !C.Imported.Contains(h) && !C.ReadOnlyExtras.Contains(h)).ToList();
        while (reader.Read())
        {
            if (rows.Count == MaxRows)
            {
                return new ImportPreview
                {
                    FileName = fileName,
                    FileErrors = [new ImportProblem("", $"The file has more than {MaxRows} rows; split it.")],
                };
            }
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < headers.Count && i < reader.FieldCount; i++)
            {
                if (C.Imported.Contains(headers[i]) && !cells.ContainsKey(headers[i]))
                {
                    cells[headers[i]] = Unescape(reader.GetString(i).Trim());
                }
            }
            if (cells.Values.All(string.IsNullOrEmpty))
            {
                continue;
            }
            rows.Add(ReadRow(cells, (int)reader.LineNumber));
        }
        return new ImportPreview { FileName = fileName, Rows = rows, IgnoredColumns = ignored };
    }

    /// <summary>The export puts an apostrophe before text that a spreadsheet would run as a formula; take it off.</summary>
    private static string Unescape(string value) =>
        value.Length > 1 && value[0] == '\'' && InjectionCharacters.Contains(value[1]) ? value[1..] : value;

    /// <summary>Turns the cells into a request; cells that are not even readable (a word where a number goes) are errors now.</summary>
    private static ImportRow ReadRow(Dictionary<string, string> cells, int line)
    {
        var row = new ImportRow { Line = line, Cells = cells };
        var errors = row.ParseErrors;
        // The same characters every save refuses (control, text-direction), said per cell before anything is looked up.
        foreach (var (column, cell) in cells)
        {
            if (TextRules.FirstRefused(cell) is { } found)
            {
                errors.Add(new ImportProblem(column, TextRules.Message("The cell", found)));
            }
        }
        string? Text(string column) => string.IsNullOrWhiteSpace(row.Cell(column)) ? null : row.Cell(column).Trim();

        decimal? Number(string column)
        {
            if (Text(column) is not { } text)
            {
                return null;
            }
            if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d))
            {
                return d;
            }
            errors.Add(new ImportProblem(column, $"must be a number in full units of the currency, such as 500000000 (no thousands separators, currency signs or “M”); got “{text}”."));
            return null;
        }

        bool Flag(string column)
        {
            switch (Text(column)?.ToLowerInvariant())
            {
                case null or "false" or "no" or "0":
                    return false;
                case "true" or "yes" or "1":
                    return true;
                default:
                    errors.Add(new ImportProblem(column, $"must be true or false (or empty for false); got “{Text(column)}”."));
                    return false;
            }
        }

        T Choice<T>(string column, T fallback, Func<T, string> label) where T : struct, Enum
        {
            if (Text(column) is not { } text)
            {
                return fallback;
            }
            var compact = text.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
            foreach (var value in Enum.GetValues<T>())
            {
                var name = label(value);
                if (string.Equals(value.ToString(), compact, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }
            errors.Add(new ImportProblem(column, $"must be one of {string.Join(", ", Enum.GetValues<T>())}; got “{text}”."));
            return fallback;
        }

        // An empty stage is taken from the label table when the rows are checked (CheckAsync).
        RoundStage? stage = Text(C.Stage) is null ? null : Choice(C.Stage, RoundStage.Unnamed, Format.Stage);
        var amount = Number(C.Amount);
        var min = Number(C.AmountMin);
        var max = Number(C.AmountMax);
        var inferred = amount is not null ? Disclosure.Disclosed : min is not null || max is not null ? Disclosure.Range : Disclosure.Undisclosed;
        var request = new RoundRequest
        {
            AnnouncedOn = Text(C.Announced),
            ClosedOn = Text(C.Closed),
            LabelAsAnnounced = Text(C.Label),
            Stage = stage,
            Status = Choice(C.Status, RoundStatus.Completed, s => s == RoundStatus.InProgress ? "in progress" : "completed"),
            Disclosure = Choice(C.Disclosure, inferred, d => d.ToString()),
            Currency = Text(C.Currency)?.ToUpperInvariant() ?? "",
            Amount = amount,
            AmountIsApproximate = Flag(C.AmountApproximate),
            AmountMin = min,
            AmountMax = max,
            AmountText = Text(C.AmountText),
            PostMoneyValuation = Number(C.PostMoney),
            PostMoneyCurrency = Text(C.PostMoneyCurrency)?.ToUpperInvariant(),
            PostMoneyIsEstimate = Flag(C.PostMoneyEstimate),
            IsUnverified = Flag(C.Unverified),
            Notes = Text(C.Notes),
            // The editor confirms warnings by committing the preview that shows them.
            Confirmed = true,
        };
        row.Request = request;
        if (Text(C.Company) is { } company)
        {
            row.Company = new NameMatch { Column = C.Company, Name = company };
        }
        foreach (var (column, lead) in new[] { (C.LeadInvestors, true), (C.Investors, false) })
        {
            foreach (var name in (Text(column) ?? "").Split(C.ListSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!row.Investors.Any(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    row.Investors.Add(new NameMatch { Column = column, Name = name, IsLead = lead });
                }
            }
        }
        return row;
    }

    /// <summary>Matches names, builds each row's request, runs the form's rules and finds duplicates.</summary>
    private static async Task CheckAsync(AppDbContext db, ImportPreview preview, CancellationToken ct)
    {
        var rows = preview.Rows;
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

        // Rows with no stage take their label's from the table: one command for the whole file. Done on every
        // check, so a label added to the table between the preview and the commit counts.
        var stageless = rows.Where(r => string.IsNullOrWhiteSpace(r.Cell(C.Stage))).ToList();
        var labelStages = await RoundLabelService.StagesForAsync(db, stageless.Select(r => r.Request!.LabelAsAnnounced), ct);
        foreach (var row in stageless)
        {
            row.Request!.Stage = labelStages.TryGetValue(RoundLabels.RoundLabels.Normalize(row.Request.LabelAsAnnounced), out var s) ? s : null;
        }

        var earlier = new List<(ImportRow Row, DuplicateKey Key)>();
        foreach (var row in rows)
        {
            CheckRow(row, stored, knownSources, takenSlugs, earlier);
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

    private static void CheckRow(ImportRow row, List<StoredRound> stored, Dictionary<string, int> knownSources,
        Dictionary<string, string> takenSlugs, List<(ImportRow Row, DuplicateKey Key)> earlier)
    {
        var r = row.Request!;
        row.Errors.Clear();
        row.Warnings.Clear();
        row.Errors.AddRange(row.ParseErrors);
        row.DuplicateOf = null;
        row.DuplicateRoundId = null;
        var needsChoice = false;

        if (r.Stage is null)
        {
            row.Errors.Add(new ImportProblem(C.Stage, r.LabelAsAnnounced is null
                ? $"is required when the label is empty: one of {string.Join(", ", Enum.GetValues<RoundStage>())}."
                : $"is empty and the label “{r.LabelAsAnnounced}” is not in the round label table (/round-labels): give a stage (one of {string.Join(", ", Enum.GetValues<RoundStage>())}) or add the label to the table."));
        }

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
            needsChoice = true;
        }

        r.Participations = [];
        var participationColumns = new List<string>();
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

        var url = row.Cell(C.SourceUrl).Trim();
        var title = row.Cell(C.SourceTitle).Trim();
        r.Sources = url.Length > 0 && knownSources.TryGetValue(url, out var sourceId)
            ? [new SourceInput { SourceId = sourceId }]
            : url.Length == 0 && title.Length == 0
                ? []
                : [new SourceInput { Url = url, Title = title, Publisher = row.Cell(C.SourcePublisher).Trim(), PublishedOn = row.Cell(C.SourcePublished).Trim() }];

        // The form's own rules, with each field named by its column.
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

        var size = Format.RoundSize(r.Disclosure, r.Currency, r.Amount, r.AmountIsApproximate, r.AmountMin, r.AmountMax);
        row.Summary = string.Join(" · ", new[]
        {
            r.LabelAsAnnounced ?? (r.Stage is { } stage ? Format.Stage(stage) : "no stage"), r.AnnouncedOn ?? "undated", size,
        });

        // A duplicate: same company, stage, announced month (or both undated), currency and amounts.
        if (company is not null && r.Stage is not null && !row.ParseErrors.Any(e => e.Column is C.Stage or C.Amount or C.AmountMin or C.AmountMax)
            && (r.AnnouncedOn is null || PartialDates.TryParse(r.AnnouncedOn, out _, out _)))
        {
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

        row.Status = row.DuplicateOf is not null ? ImportRowStatus.Duplicate
            : row.Errors.Count > 0 ? ImportRowStatus.Error
            : needsChoice ? ImportRowStatus.NeedsChoice
            : ImportRowStatus.New;
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
