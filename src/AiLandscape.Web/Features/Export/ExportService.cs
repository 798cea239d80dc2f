using System.Globalization;
using System.Text.Json;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Import;
using AiLandscape.Web.Features.Models;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Hosting;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Export;

/// <summary>
/// Downloads of the dataset. Each one streams: rows are written as the database returns them, so memory stays flat
/// whatever the size of the tables (<see cref="AppExecutionStrategy.StreamRows"/>: the app's retrying strategy would
/// otherwise read each query's whole result first). CSV is UTF-8 with a byte order mark (Excel then shows the Chinese names; pandas
/// reads it with <c>encoding="utf-8-sig"</c>); an undisclosed amount is an empty cell, never 0.
/// </summary>
public sealed class ExportService([FromKeyedServices(ReplicaReads.Key)] IDbContextFactory<AppDbContext> factory)
{
    /// <summary>Text cells that start like a formula get a leading apostrophe, so a spreadsheet shows them as text.</summary>
    public static readonly CsvWriterOptions CsvOptions = new()
    {
        WriteByteOrderMark = true,
        Injection = CsvInjection.Escape,
        TrueValue = "true",
        FalseValue = "false",
    };

    /// <summary>companies.csv's columns (also listed on /export): each date with its precision, as written.</summary>
    public static readonly string[] CompanyColumns =
    [
        "slug", "name_en", "name_zh", "pinyin", "aliases", "legal_names", "founded", "founded_precision",
        "headquarters_city", "website", "status", "listing_venue", "ticker", "listed_on", "sectors", "groups",
        "total_raised_usd", "total_raised_is_floor", "rounds", "undisclosed_rounds", "investors", "last_round_on",
        "last_round_precision", "latest_valuation_usd", "latest_valuation_on", "latest_valuation_precision",
        "latest_valuation_qualifier",
    ];

    public async Task WriteCompaniesCsvAsync(Stream output, CancellationToken ct)
    {
        using var streaming = AppExecutionStrategy.StreamRows();
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var csv = CsvWriter.Create(output, CsvOptions, leaveOpen: true);
        csv.WriteHeader(CompanyColumns);
        var rows = db.Companies.AsNoTracking().OrderBy(c => c.NameEn).ThenBy(c => c.Id).AsAsyncEnumerable();
        await foreach (var c in rows.WithCancellation(ct))
        {
            csv.WriteField(c.Slug); csv.WriteField(c.NameEn); csv.WriteField(c.NameZh); csv.WriteField(c.Pinyin);
            csv.WriteField(List(c.Aliases)); csv.WriteField(List(c.LegalNames));
            csv.WriteField(PartialDates.Write(c.FoundedOn, c.FoundedPrecision));
            csv.WriteField(c.FoundedOn is null ? null : c.FoundedPrecision.ToString());
            csv.WriteField(c.HeadquartersCity); csv.WriteField(c.Website); csv.WriteField(c.Status.ToString());
            csv.WriteField(c.ListingVenue); csv.WriteField(c.Ticker); csv.WriteField(Day(c.ListedOn));
            csv.WriteField(List(c.Sectors)); csv.WriteField(List(c.Groups));
            // No disclosed amount: the total is empty, not zero.
            Number(csv, c.Figures.TotalRaisedUsd); csv.WriteField(c.Figures.TotalRaisedIsFloor);
            csv.WriteField(c.Figures.RoundCount, default); csv.WriteField(c.Figures.UndisclosedRoundCount, default);
            csv.WriteField(c.Figures.InvestorCount, default);
            csv.WriteField(PartialDates.Write(c.Figures.LastRoundOn, c.Figures.LastRoundPrecision));
            csv.WriteField(c.Figures.LastRoundOn is null ? null : c.Figures.LastRoundPrecision.ToString());
            Number(csv, c.Figures.LatestValuationUsd);
            csv.WriteField(PartialDates.Write(c.Figures.LatestValuationOn, c.Figures.LatestValuationPrecision));
            csv.WriteField(c.Figures.LatestValuationOn is null ? null : c.Figures.LatestValuationPrecision.ToString());
            // As compare.csv writes it; empty without a valuation.
            csv.WriteField(c.Figures.LatestValuationOn is null ? null : c.Figures.LatestValuationQualifier.ToString());
            await csv.EndRecordAsync(ct);
        }
    }

    public async Task WriteInvestorsCsvAsync(Stream output, CancellationToken ct)
    {
        using var streaming = AppExecutionStrategy.StreamRows();
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var csv = CsvWriter.Create(output, CsvOptions, leaveOpen: true);
        csv.WriteHeader(["slug", "name_en", "name_zh", "aliases", "kind", "country", "website", "parent", "rounds", "companies"]);
        var rows = db.Investors.AsNoTracking().OrderBy(i => i.NameEn).ThenBy(i => i.Id)
            .Select(i => new
            {
                i.Slug, i.NameEn, i.NameZh, i.Aliases, i.Kind, i.Country, i.Website, Parent = i.Parent!.Slug,
                // The stored figures /investors shows (a parent's include its units', InvestorCredit).
                Rounds = i.Figures.RoundCount,
                Companies = i.Figures.CompanyCount,
            })
            .AsAsyncEnumerable();
        await foreach (var i in rows.WithCancellation(ct))
        {
            csv.WriteField(i.Slug); csv.WriteField(i.NameEn); csv.WriteField(i.NameZh); csv.WriteField(List(i.Aliases));
            csv.WriteField(i.Kind.ToString()); csv.WriteField(i.Country); csv.WriteField(i.Website); csv.WriteField(i.Parent);
            csv.WriteField(i.Rounds, default); csv.WriteField(i.Companies, default);
            await csv.EndRecordAsync(ct);
        }
    }

    /// <summary>
    /// The rounds the /rounds page shows for these filters, in its order, with the import's columns first (see
    /// <see cref="RoundCsvColumns"/>): a downloaded file can be edited and imported again.
    /// </summary>
    public async Task WriteRoundsCsvAsync(Stream output, RoundQuery query, CancellationToken ct)
    {
        using var streaming = AppExecutionStrategy.StreamRows();
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var csv = CsvWriter.Create(output, CsvOptions, leaveOpen: true);
        csv.WriteHeader([.. RoundCsvColumns.Imported, .. RoundCsvColumns.ReadOnlyExtras]);
        var separator = RoundCsvColumns.ListSeparator + " ";
        var rows = RoundService.Matching(db, query)
            .Select(x => new
            {
                x.Round, x.Usd, CompanyName = x.Round.Company.NameEn, CompanySlug = x.Round.Company.Slug,
                // string_agg in SQL: one row per round, no second query per round.
                Leads = string.Join(separator, x.Round.Participations.Where(p => p.IsLead).OrderBy(p => p.Id).Select(p => p.Investor.NameEn)),
                Others = string.Join(separator, x.Round.Participations.Where(p => !p.IsLead).OrderBy(p => p.Id).Select(p => p.Investor.NameEn)),
                Source = db.Citations.Where(c => c.RecordType == RecordType.FundingRound && c.RecordId == x.Round.Id)
                    .OrderBy(c => c.Source.Url == null).ThenBy(c => c.SourceId)
                    .Select(c => new { c.Source.Url, c.Source.Title, c.Source.Publisher, c.Source.PublishedOn, c.Source.PublishedPrecision })
                    .FirstOrDefault(),
            })
            .AsAsyncEnumerable();
        await foreach (var x in rows.WithCancellation(ct))
        {
            var r = x.Round;
            csv.WriteField(x.CompanyName);
            csv.WriteField(PartialDates.Write(r.AnnouncedOn, r.AnnouncedPrecision));
            csv.WriteField(Day(r.ClosedOn));
            csv.WriteField(r.LabelAsAnnounced);
            csv.WriteField(r.Stage.ToString());
            csv.WriteField(r.Status.ToString());
            csv.WriteField(r.Disclosure.ToString());
            csv.WriteField(r.Currency.Trim());
            Number(csv, r.Amount);
            csv.WriteField(r.AmountIsApproximate);
            Number(csv, r.AmountMin);
            Number(csv, r.AmountMax);
            csv.WriteField(r.AmountText);
            Number(csv, r.PostMoneyValuation);
            csv.WriteField(r.PostMoneyCurrency?.Trim());
            csv.WriteField(r.PostMoneyIsEstimate);
            csv.WriteField(x.Leads);
            csv.WriteField(x.Others);
            csv.WriteField(r.IsUnverified);
            csv.WriteField(r.Notes);
            csv.WriteField(x.Source?.Url);
            csv.WriteField(x.Source?.Title);
            csv.WriteField(x.Source?.Publisher);
            csv.WriteField(x.Source is null ? null : PartialDates.Write(x.Source.PublishedOn, x.Source.PublishedPrecision));
            csv.WriteField(r.Id, default);
            csv.WriteField(r.AnnouncedOn is null ? null : r.AnnouncedPrecision.ToString());
            csv.WriteField(x.CompanySlug);
            Number(csv, x.Usd is { } usd ? Math.Round(usd) : null);
            csv.WriteField(x.Source?.PublishedOn is null ? null : x.Source.PublishedPrecision.ToString());
            await csv.EndRecordAsync(ct);
        }
    }

    /// <summary>
    /// The model releases the /models directory shows for these filters, in its order (all pages). Open weights is
    /// true, false or empty when no source says; the date comes with its precision, as everywhere.
    /// </summary>
    public async Task WriteModelsCsvAsync(Stream output, ModelQuery query, CancellationToken ct)
    {
        using var streaming = AppExecutionStrategy.StreamRows();
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var csv = CsvWriter.Create(output, CsvOptions, leaveOpen: true);
        csv.WriteHeader([
            "model", "company_slug", "company_name_en", "company_name_zh", "released_on", "released_precision",
            "open_weights", "licence", "parameters", "modality", "model_id",
        ]);
        var rows = ModelDirectoryService.Sorted(ModelDirectoryService.Matching(db, query), query)
            .Select(ModelDirectoryService.Row)
            .AsAsyncEnumerable();
        await foreach (var m in rows.WithCancellation(ct))
        {
            csv.WriteField(m.Name); csv.WriteField(m.CompanySlug); csv.WriteField(m.CompanyNameEn); csv.WriteField(m.CompanyNameZh);
            csv.WriteField(PartialDates.Write(m.ReleasedOn, m.Precision));
            csv.WriteField(m.ReleasedOn is null ? null : m.Precision.ToString());
            csv.WriteField(m.OpenWeights is { } open ? (open ? "true" : "false") : null);
            csv.WriteField(m.Licence); csv.WriteField(m.Size); csv.WriteField(m.Modality);
            csv.WriteField(m.Id, default);
            await csv.EndRecordAsync(ct);
        }
    }

    /// <summary>
    /// The whole dataset as JSON tables (companies, people, roles, investors, rounds, participations, valuations,
    /// events, models, sources, citations, exchange rates), linked by id, written with Utf8JsonWriter as rows arrive.
    /// </summary>
    public async Task WriteDatasetJsonAsync(Stream output, CancellationToken ct)
    {
        using var streaming = AppExecutionStrategy.StreamRows();
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("generatedAt", DateTimeOffset.UtcNow);
        json.WriteString("licenceNote", "Every figure cites its sources (see citations); undisclosed amounts are null, never 0.");

        await WriteCompaniesAndInvestorsAsync(json, db, ct);
        await WriteRoundsAndRecordsAsync(json, db, ct);
        await WriteSourcesAndRatesAsync(json, db, ct);

        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    /// <summary>The dataset's companies, people, their roles and the investors.</summary>
    private static async Task WriteCompaniesAndInvestorsAsync(Utf8JsonWriter json, AppDbContext db, CancellationToken ct)
    {
        await TableAsync(json, "companies", db.Companies.AsNoTracking().OrderBy(x => x.Id), (w, c) =>
        {
            w.WriteNumber("id", c.Id); w.WriteString("slug", c.Slug); w.WriteString("nameEn", c.NameEn);
            w.WriteString("nameZh", c.NameZh); w.WriteString("pinyin", c.Pinyin);
            Strings(w, "legalNames", c.LegalNames); Strings(w, "aliases", c.Aliases);
            Date(w, "founded", c.FoundedOn, c.FoundedPrecision);
            w.WriteString("headquartersCity", c.HeadquartersCity); w.WriteString("website", c.Website);
            w.WriteString("status", c.Status.ToString()); w.WriteString("listingVenue", c.ListingVenue);
            w.WriteString("ticker", c.Ticker); w.WriteString("listedOn", Day(c.ListedOn)); w.WriteString("summary", c.Summary);
            Strings(w, "sectors", c.Sectors); Strings(w, "groups", c.Groups);
        }, ct);
        await TableAsync(json, "people", db.People.AsNoTracking().OrderBy(x => x.Id), (w, p) =>
        {
            w.WriteNumber("id", p.Id); w.WriteString("slug", p.Slug); w.WriteString("nameEn", p.NameEn);
            w.WriteString("nameZh", p.NameZh); w.WriteString("pinyin", p.Pinyin); Num(w, "birthYear", p.BirthYear);
            w.WriteString("bio", p.Bio);
        }, ct);
        await TableAsync(json, "companyRoles", db.CompanyRoles.AsNoTracking().OrderBy(x => x.Id), (w, r) =>
        {
            w.WriteNumber("id", r.Id); w.WriteNumber("companyId", r.CompanyId); w.WriteNumber("personId", r.PersonId);
            w.WriteString("kind", r.Kind.ToString()); w.WriteString("title", r.Title);
            w.WriteString("startedOn", Day(r.StartedOn)); w.WriteString("endedOn", Day(r.EndedOn));
        }, ct);
        await TableAsync(json, "investors", db.Investors.AsNoTracking().OrderBy(x => x.Id), (w, i) =>
        {
            w.WriteNumber("id", i.Id); w.WriteString("slug", i.Slug); w.WriteString("nameEn", i.NameEn);
            w.WriteString("nameZh", i.NameZh); Strings(w, "aliases", i.Aliases); w.WriteString("kind", i.Kind.ToString());
            w.WriteString("country", i.Country); w.WriteString("website", i.Website); w.WriteString("summary", i.Summary);
            Num(w, "personId", i.PersonId); Num(w, "parentId", i.ParentId);
        }, ct);
    }

    /// <summary>The dataset's rounds, participations, valuations, events and models.</summary>
    private static async Task WriteRoundsAndRecordsAsync(Utf8JsonWriter json, AppDbContext db, CancellationToken ct)
    {
        await TableAsync(json, "rounds", db.FundingRounds.AsNoTracking().OrderBy(x => x.Id), (w, r) =>
        {
            w.WriteNumber("id", r.Id); w.WriteNumber("companyId", r.CompanyId);
            Date(w, "announced", r.AnnouncedOn, r.AnnouncedPrecision); w.WriteString("closedOn", Day(r.ClosedOn));
            w.WriteString("labelAsAnnounced", r.LabelAsAnnounced); w.WriteString("stage", r.Stage.ToString());
            w.WriteString("status", r.Status.ToString()); w.WriteString("disclosure", r.Disclosure.ToString());
            w.WriteString("currency", r.Currency.Trim()); Num(w, "amount", r.Amount);
            w.WriteBoolean("amountIsApproximate", r.AmountIsApproximate); Num(w, "amountMin", r.AmountMin);
            Num(w, "amountMax", r.AmountMax); w.WriteString("amountText", r.AmountText);
            Num(w, "postMoneyValuation", r.PostMoneyValuation); w.WriteString("postMoneyCurrency", r.PostMoneyCurrency?.Trim());
            w.WriteString("postMoneyQualifier", r.PostMoneyQualifier.ToString()); w.WriteBoolean("postMoneyIsEstimate", r.PostMoneyIsEstimate);
            w.WriteBoolean("isUnverified", r.IsUnverified); w.WriteString("notes", r.Notes);
        }, ct);
        await TableAsync(json, "participations", db.Participations.AsNoTracking().OrderBy(x => x.Id), (w, p) =>
        {
            w.WriteNumber("id", p.Id); w.WriteNumber("roundId", p.FundingRoundId); w.WriteNumber("investorId", p.InvestorId);
            w.WriteBoolean("isLead", p.IsLead); Num(w, "amount", p.Amount); w.WriteString("currency", p.Currency?.Trim());
        }, ct);
        await TableAsync(json, "valuations", db.ValuationPoints.AsNoTracking().OrderBy(x => x.Id), (w, v) =>
        {
            w.WriteNumber("id", v.Id); w.WriteNumber("companyId", v.CompanyId); Date(w, "valued", v.ValuedOn, v.Precision);
            w.WriteNumber("amount", v.Amount); w.WriteString("currency", v.Currency.Trim());
            w.WriteString("qualifier", v.Qualifier.ToString()); w.WriteString("basis", v.Basis.ToString());
            Num(w, "roundId", v.FundingRoundId); w.WriteBoolean("isUnverified", v.IsUnverified); w.WriteString("notes", v.Notes);
        }, ct);
        await TableAsync(json, "events", db.CompanyEvents.AsNoTracking().OrderBy(x => x.Id), (w, e) =>
        {
            w.WriteNumber("id", e.Id); w.WriteNumber("companyId", e.CompanyId); Date(w, "occurred", e.OccurredOn, e.Precision);
            w.WriteString("kind", e.Kind.ToString()); w.WriteString("title", e.Title); w.WriteString("summary", e.Summary);
            w.WriteString("focusBefore", e.FocusBefore); w.WriteString("focusAfter", e.FocusAfter);
        }, ct);
        await TableAsync(json, "models", db.ModelReleases.AsNoTracking().OrderBy(x => x.Id), (w, m) =>
        {
            w.WriteNumber("id", m.Id); w.WriteNumber("companyId", m.CompanyId); w.WriteString("name", m.Name);
            Date(w, "released", m.ReleasedOn, m.Precision);
            if (m.OpenWeights is { } open) { w.WriteBoolean("openWeights", open); } else { w.WriteNull("openWeights"); }
            w.WriteString("licence", m.Licence); w.WriteString("size", m.Size); w.WriteString("modality", m.Modality);
            w.WriteString("summary", m.Summary);
        }, ct);
    }

    /// <summary>The dataset's sources, citations and exchange rates.</summary>
    private static async Task WriteSourcesAndRatesAsync(Utf8JsonWriter json, AppDbContext db, CancellationToken ct)
    {
        await TableAsync(json, "sources", db.Sources.AsNoTracking().OrderBy(x => x.Id), (w, s) =>
        {
            w.WriteNumber("id", s.Id); w.WriteString("key", s.Key); w.WriteString("url", s.Url); w.WriteString("title", s.Title);
            w.WriteString("publisher", s.Publisher); w.WriteString("originalPublisher", s.OriginalPublisher);
            Date(w, "published", s.PublishedOn, s.PublishedPrecision); w.WriteBoolean("publishedIsInferred", s.PublishedOnIsInferred);
            w.WriteString("kind", s.Kind.ToString()); w.WriteString("language", s.Language); w.WriteString("notes", s.Notes);
        }, ct);
        await TableAsync(json, "citations", db.Citations.AsNoTracking().OrderBy(x => x.Id), (w, c) =>
        {
            w.WriteNumber("id", c.Id); w.WriteNumber("sourceId", c.SourceId);
            w.WriteString("recordType", c.RecordType?.ToString()); Num(w, "recordId", c.RecordId);
            w.WriteString("field", c.Field); w.WriteString("reportedValue", c.ReportedValue); w.WriteString("claim", c.Claim);
            w.WriteBoolean("isUnverified", c.IsUnverified);
        }, ct);
        await TableAsync(json, "exchangeRates", db.ExchangeRates.AsNoTracking().OrderBy(x => x.Currency).ThenBy(x => x.Month), (w, x) =>
        {
            w.WriteString("currency", x.Currency.Trim()); w.WriteString("month", x.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture));
            w.WriteNumber("unitsPerUsd", x.UnitsPerUsd); Num(w, "sourceId", x.SourceId);
        }, ct);
    }

    /// <summary>One array of objects, flushed to the output whenever a few kilobytes are pending.</summary>
    private static async Task TableAsync<T>(Utf8JsonWriter json, string name, IQueryable<T> rows, Action<Utf8JsonWriter, T> write,
        CancellationToken ct)
    {
        json.WriteStartArray(name);
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            json.WriteStartObject();
            write(json, row);
            json.WriteEndObject();
            if (json.BytesPending > 16 * 1024)
            {
                await json.FlushAsync(ct);
            }
        }
        json.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }

    private static void Num(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v) { w.WriteNumber(name, v); } else { w.WriteNull(name); }
    }

    private static void Num(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v) { w.WriteNumber(name, v); } else { w.WriteNull(name); }
    }

    /// <summary>A date as the source gave it ("2024-03") and its precision, as two properties.</summary>
    private static void Date(Utf8JsonWriter w, string name, DateOnly? date, DatePrecision precision)
    {
        w.WriteString(name, PartialDates.Write(date, precision));
        w.WriteString(name + "Precision", date is null ? null : precision.ToString());
    }

    private static string? Day(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? List(IReadOnlyCollection<string> values) =>
        values.Count == 0 ? null : string.Join(RoundCsvColumns.ListSeparator + " ", values);

    /// <summary>A number as <see cref="CsvCells.Number(decimal?)"/> writes it; null is an empty cell.</summary>
    private static void Number(CsvWriter csv, decimal? value) => csv.WriteField(CsvCells.Number(value));
}
