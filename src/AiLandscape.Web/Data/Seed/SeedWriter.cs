using AiLandscape.Web.Features.RoundLabels;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Data.Seed;

/// <summary>
/// Turns the seed dataset into entities. Records are saved first, then the citations that point at them by id,
/// all inside the caller's transaction.
/// </summary>
internal sealed class SeedWriter(AppDbContext db, SeedDataset data)
{
    private readonly Dictionary<string, Source> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Person> _people = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Investor> _investors = new(StringComparer.Ordinal);
    private readonly List<(Func<int> Id, RecordType Type, IEnumerable<SeedCitation> Citations)> _pending = [];

    public async Task WriteAsync(CancellationToken ct)
    {
        AddSources();
        AddPeople();
        AddInvestors();
        AddExchangeRates();
        foreach (var company in data.Companies)
        {
            AddCompany(company);
        }
        await db.SaveChangesAsync(ct);

        foreach (var (id, type, citations) in _pending)
        {
            foreach (var c in citations)
            {
                db.Citations.Add(new Citation
                {
                    Source = SourceFor(c.Source),
                    RecordType = type,
                    RecordId = id(),
                    Field = c.Field,
                    ReportedValue = c.Value,
                    Claim = c.Claim,
                    IsUnverified = c.Unverified,
                });
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Adds the default round labels the table lacks: a label an editor already added (however spelled) keeps the
    /// editor's stage. Returns how many were added.
    /// </summary>
    public static async Task<int> AddRoundLabelsAsync(AppDbContext db, IEnumerable<SeedRoundLabel> labels, CancellationToken ct)
    {
        var taken = (await db.RoundLabelMappings.Select(x => x.NormalizedLabel).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var added = 0;
        foreach (var l in labels)
        {
            var key = RoundLabels.Normalize(l.Label);
            if (taken.Add(key))
            {
                db.RoundLabelMappings.Add(new RoundLabelMapping { Label = l.Label, NormalizedLabel = key, Stage = l.Stage, Notes = l.Notes });
                added++;
            }
        }
        return added;
    }

    private void Cite(Func<int> id, RecordType type, List<SeedCitation>? citations)
    {
        if (citations is { Count: > 0 })
        {
            _pending.Add((id, type, citations));
        }
    }

    private Source SourceFor(string key) => _sources.TryGetValue(key, out var s)
        ? s
        : throw new InvalidOperationException($"Seed data cites unknown source '{key}'.");

    private void AddSources()
    {
        foreach (var s in data.Sources)
        {
            var source = new Source
            {
                Key = s.Key, Url = s.Url, Title = s.Title, Publisher = s.Publisher,
                OriginalPublisher = s.OriginalPublisher, PublishedOn = s.PublishedOn,
                PublishedPrecision = s.PublishedPrecision, PublishedOnIsInferred = s.PublishedOnIsInferred,
                Kind = s.Kind, Language = s.Language, Notes = s.Notes,
            };
            foreach (var claim in s.Claims ?? [])
            {
                source.Citations.Add(new Citation { Claim = claim.Claim, IsUnverified = claim.Unverified });
            }
            _sources.Add(s.Key, source);
            db.Sources.Add(source);
        }
    }

    private void AddPeople()
    {
        foreach (var p in data.People)
        {
            var person = new Person
            {
                Slug = p.Slug, NameEn = p.NameEn, NameZh = p.NameZh, Pinyin = p.Pinyin, BirthYear = p.BirthYear, Bio = p.Bio,
            };
            _people.Add(p.Slug, person);
            db.People.Add(person);
            Cite(() => person.Id, RecordType.Person, p.Sources);
        }
    }

    private void AddInvestors()
    {
        foreach (var i in data.Investors)
        {
            var investor = new Investor
            {
                Slug = i.Slug, NameEn = i.NameEn, NameZh = i.NameZh, Aliases = i.Aliases ?? [], Kind = i.Kind,
                Country = i.Country, Website = i.Website, Summary = i.Summary,
                Person = i.Person is null ? null : PersonFor(i.Person),
            };
            _investors.Add(i.Slug, investor);
            db.Investors.Add(investor);
            Cite(() => investor.Id, RecordType.Investor, i.Sources);
        }
        foreach (var i in data.Investors.Where(i => i.Parent is not null))
        {
            _investors[i.Slug].Parent = InvestorFor(i.Parent!);
        }
    }

    private void AddExchangeRates()
    {
        var source = SourceFor(data.ExchangeRates.Source);
        foreach (var (month, rate) in data.ExchangeRates.Rates)
        {
            db.ExchangeRates.Add(new ExchangeRate
            {
                Currency = data.ExchangeRates.Currency,
                Month = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd"),
                UnitsPerUsd = rate,
                Source = source,
            });
        }
    }

    private Person PersonFor(string slug) => _people.TryGetValue(slug, out var p)
        ? p
        : throw new InvalidOperationException($"Seed data names unknown person '{slug}'.");

    private Investor InvestorFor(string slug) => _investors.TryGetValue(slug, out var i)
        ? i
        : throw new InvalidOperationException($"Seed data names unknown investor '{slug}'.");

    private void AddCompany(SeedCompany c)
    {
        var company = new Company
        {
            Slug = c.Slug, NameEn = c.NameEn, NameZh = c.NameZh, Pinyin = c.Pinyin, LegalNames = c.LegalNames ?? [],
            Aliases = c.Aliases ?? [], FoundedOn = c.FoundedOn, FoundedPrecision = c.FoundedPrecision,
            HeadquartersCity = c.HeadquartersCity, Website = c.Website, Status = c.Status,
            ListingVenue = c.ListingVenue, Ticker = c.Ticker, ListedOn = c.ListedOn, Summary = c.Summary,
            Sectors = c.Sectors ?? [], Groups = c.Groups ?? [],
        };
        db.Companies.Add(company);
        Cite(() => company.Id, RecordType.Company, c.Sources);

        foreach (var r in c.Roles ?? [])
        {
            var role = new CompanyRole
            {
                Company = company, Person = PersonFor(r.Person), Kind = r.Kind, Title = r.Title,
                StartedOn = r.StartedOn, EndedOn = r.EndedOn,
            };
            db.CompanyRoles.Add(role);
            Cite(() => role.Id, RecordType.CompanyRole, r.Sources);
        }

        var rounds = new Dictionary<string, FundingRound>(StringComparer.Ordinal);
        foreach (var r in c.Rounds ?? [])
        {
            var round = new FundingRound
            {
                Company = company, AnnouncedOn = r.AnnouncedOn, AnnouncedPrecision = r.AnnouncedPrecision,
                ClosedOn = r.ClosedOn, LabelAsAnnounced = r.Label, Stage = r.Stage, Status = r.Status,
                Disclosure = r.Disclosure, Currency = r.Currency, Amount = r.Amount,
                AmountIsApproximate = r.AmountIsApproximate, AmountMin = r.AmountMin, AmountMax = r.AmountMax,
                AmountText = r.AmountText, PostMoneyValuation = r.PostMoney,
                PostMoneyCurrency = r.PostMoney is null ? null : r.PostMoneyCurrency ?? r.Currency,
                PostMoneyQualifier = r.PostMoneyQualifier, PostMoneyIsEstimate = r.PostMoneyIsEstimate,
                IsUnverified = r.Unverified, Notes = r.Notes,
            };
            rounds.Add(r.Key, round);
            db.FundingRounds.Add(round);
            Cite(() => round.Id, RecordType.FundingRound, r.Sources);
            foreach (var p in r.Investors ?? [])
            {
                var participation = new Participation
                {
                    FundingRound = round, Investor = InvestorFor(p.Investor), IsLead = p.Lead, Amount = p.Amount,
                    Currency = p.Amount is null ? null : p.Currency ?? r.Currency,
                };
                db.Participations.Add(participation);
                Cite(() => participation.Id, RecordType.Participation, p.Sources);
            }
        }

        foreach (var v in c.Valuations ?? [])
        {
            var valuation = new ValuationPoint
            {
                Company = company, ValuedOn = v.ValuedOn, Precision = v.Precision, Amount = v.Amount,
                Currency = v.Currency, Qualifier = v.Qualifier, Basis = v.Basis, IsUnverified = v.Unverified,
                Notes = v.Notes,
                FundingRound = v.Round is null ? null
                    : rounds.TryGetValue(v.Round, out var round) ? round
                    : throw new InvalidOperationException($"{c.Slug}: valuation names unknown round '{v.Round}'."),
            };
            db.ValuationPoints.Add(valuation);
            Cite(() => valuation.Id, RecordType.ValuationPoint, v.Sources);
        }

        foreach (var e in c.Events ?? [])
        {
            var ev = new CompanyEvent
            {
                Company = company, OccurredOn = e.OccurredOn, Precision = e.Precision, Kind = e.Kind, Title = e.Title,
                Summary = e.Summary, FocusBefore = e.FocusBefore, FocusAfter = e.FocusAfter,
            };
            db.CompanyEvents.Add(ev);
            Cite(() => ev.Id, RecordType.CompanyEvent, e.Sources);
        }

        foreach (var m in c.Models ?? [])
        {
            var model = new ModelRelease
            {
                Company = company, Name = m.Name, ReleasedOn = m.ReleasedOn, Precision = m.Precision,
                OpenWeights = m.OpenWeights, Licence = m.Licence, Size = m.Size, Modality = m.Modality,
                Summary = m.Summary,
            };
            db.ModelReleases.Add(model);
            Cite(() => model.Id, RecordType.ModelRelease, m.Sources);
        }
    }
}
