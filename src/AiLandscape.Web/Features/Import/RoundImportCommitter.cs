using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Rounds;

namespace AiLandscape.Web.Features.Import;

/// <summary>
/// The last step of the round import: the preview's new rows to one audited change. Every row is checked again inside
/// the transaction, then each new round is added with its participations, new investors and sources.
/// </summary>
internal static class RoundImportCommitter
{
    public static async Task<ImportCommitResult> CommitAsync(AuditedWriter writer, ImportPreview preview, CancellationToken ct)
    {
        if (preview.FileErrors.Count > 0)
        {
            return new ImportCommitResult(SaveResult.Invalid(preview.FileErrors.Select(e => new FieldMessage(e.Column, e.Message))), [], []);
        }
        Batch? batch = null;
        var result = await writer.SaveAsync(preview.LoadedAt, async (edit, token) =>
        {
            // A new batch on every attempt: the writer may run this again after a transient failure.
            batch = new Batch(edit);
            // Another editor may have added one of these rounds since the preview: check again in the transaction.
            await RoundImportChecker.CheckAsync(edit.Db, preview, token);
            var rows = preview.Rows.Where(r => r.Status == ImportRowStatus.New).ToList();
            if (rows.Count == 0)
            {
                return SaveResult.Invalid("", "There is no new valid row to import.");
            }
            foreach (var row in rows)
            {
                batch.Add(row);
            }
            batch.CiteOnceSaved();
            var companies = rows.Select(r => r.Request!.CompanyId).Distinct().ToList();
            edit.CompanyId = companies.Count == 1 ? companies[0] : null;
            edit.Summary = $"Imported {rows.Count} funding round{(rows.Count == 1 ? "" : "s")} from {preview.FileName}";
            return null;
        }, ct);
        return new ImportCommitResult(result, result.Succeeded ? batch!.Written.Select(r => r.Id).ToList() : [],
            result.Succeeded ? batch!.Slugs.Distinct().ToList() : []);
    }

    /// <summary>The rounds of one commit attempt, with the investors and sources they add (each once).</summary>
    private sealed class Batch(EditContext edit)
    {
        private readonly Dictionary<string, Investor> _newInvestors = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Source> _newSources = new(StringComparer.Ordinal);
        private readonly List<(FundingRound Round, Citation Citation)> _citations = [];

        public List<FundingRound> Written { get; } = [];
        public List<string> Slugs { get; } = [];

        public void Add(ImportRow row)
        {
            var r = row.Request!;
            var round = new FundingRound { CompanyId = r.CompanyId, Currency = r.Currency };
            PartialDates.TryParse(r.AnnouncedOn, out var announced, out var precision);
            RoundEditService.Apply(r, round, string.IsNullOrWhiteSpace(r.AnnouncedOn) ? null : announced, precision);
            foreach (var p in r.Participations)
            {
                round.Participations.Add(ParticipationOf(p));
            }
            edit.Db.FundingRounds.Add(round);
            foreach (var s in r.Sources)
            {
                Cite(round, s);
            }
            edit.RefreshFiguresOf(r.CompanyId);
            Written.Add(round);
            Slugs.Add(row.Company!.Resolved!.Slug);
        }

        private Participation ParticipationOf(ParticipationInput p)
        {
            var participation = new Participation { IsLead = p.IsLead };
            if (p.InvestorId is { } investorId)
            {
                participation.InvestorId = investorId;
                return participation;
            }
            // One new investor named in several rows is added once.
            var name = p.NewInvestorNameEn!.Trim();
            if (!_newInvestors.TryGetValue(name, out var investor))
            {
                investor = new Investor { Slug = Validator.SlugFrom(name), NameEn = name, Kind = p.NewInvestorKind };
                _newInvestors[name] = investor;
            }
            participation.Investor = investor;
            return participation;
        }

        private void Cite(FundingRound round, SourceInput s)
        {
            if (s.SourceId is { } sourceId)
            {
                _citations.Add((round, new Citation { SourceId = sourceId, RecordType = RecordType.FundingRound }));
                return;
            }
            // One new source cited by several rows is added once.
            var url = s.Url!.Trim();
            if (!_newSources.TryGetValue(url, out var source))
            {
                var published = PartialDates.TryParse(s.PublishedOn, out var on, out var onPrecision);
                source = new Source
                {
                    Url = url, Title = s.Title!.Trim(),
                    Publisher = string.IsNullOrWhiteSpace(s.Publisher) ? null : s.Publisher.Trim(),
                    PublishedOn = published ? on : null, PublishedPrecision = published ? onPrecision : DatePrecision.Day,
                };
                _newSources[url] = source;
                edit.Db.Sources.Add(source);
            }
            _citations.Add((round, new Citation { Source = source, RecordType = RecordType.FundingRound }));
        }

        /// <summary>Citations point at their round by id, which exists once the rounds are saved.</summary>
        public void CiteOnceSaved() => edit.OnSaved(() =>
        {
            foreach (var (round, citation) in _citations)
            {
                citation.RecordId = round.Id;
                edit.Db.Citations.Add(citation);
            }
        });
    }
}
