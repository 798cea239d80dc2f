using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiLandscape.Web.Data.Seed;

// The shape of the JSON files in Data/Seed. Records reference each other by key:
// sources by "key" (A1, M14, ...), investors and people by "slug", rounds inside one company file by "key".

public sealed record SeedSource(
    string Key,
    string? Url,
    string? Title,
    string? Publisher,
    string? OriginalPublisher,
    DateOnly? PublishedOn,
    DatePrecision PublishedPrecision,
    bool PublishedOnIsInferred,
    SourceKind Kind,
    string? Language,
    string? Notes,
    List<SeedClaim>? Claims);

/// <summary>A claim a source makes that no record holds (e.g. a statistic), or that is unverified.</summary>
public sealed record SeedClaim(string Claim, bool Unverified);

/// <summary>
/// A citation: in JSON either just the source key ("A1") or an object naming the field it supports and the value
/// that source reported: { "source": "A3", "field": "FoundedOn", "value": "Jul 2023", "claim": "...", "unverified": false }.
/// </summary>
[JsonConverter(typeof(SeedCitationConverter))]
public sealed record SeedCitation(string Source, string? Field = null, string? Value = null, string? Claim = null,
    bool Unverified = false);

/// <summary>A person; <paramref name="Pinyin"/> is their Chinese name in Hanyu Pinyin, surname first ("Li Kaifu").</summary>
public sealed record SeedPerson(string Slug, string NameEn, string? NameZh, string? Pinyin, int? BirthYear, string? Bio,
    List<SeedCitation>? Sources);

public sealed record SeedInvestor(
    string Slug,
    string NameEn,
    string? NameZh,
    List<string>? Aliases,
    InvestorKind Kind,
    string? Country,
    string? Website,
    string? Summary,
    string? Person,
    string? Parent,
    List<SeedCitation>? Sources);

public sealed record SeedCompany(
    string Slug,
    string NameEn,
    string? NameZh,
    string? Pinyin,
    List<string>? LegalNames,
    List<string>? Aliases,
    DateOnly? FoundedOn,
    DatePrecision FoundedPrecision,
    string? HeadquartersCity,
    string? Website,
    CompanyStatus Status,
    string? ListingVenue,
    string? Ticker,
    DateOnly? ListedOn,
    string? Summary,
    List<string>? Sectors,
    List<string>? Groups,
    List<SeedCitation>? Sources,
    List<SeedRole>? Roles,
    List<SeedRound>? Rounds,
    List<SeedValuation>? Valuations,
    List<SeedEvent>? Events,
    List<SeedModel>? Models);

public sealed record SeedRole(string Person, PersonRoleKind Kind, string? Title, DateOnly? StartedOn,
    DateOnly? EndedOn, List<SeedCitation>? Sources);

public sealed record SeedRound(
    string Key,
    DateOnly? AnnouncedOn,
    DatePrecision AnnouncedPrecision,
    DateOnly? ClosedOn,
    string? Label,
    RoundStage Stage,
    RoundStatus Status,
    Disclosure Disclosure,
    string Currency,
    decimal? Amount,
    bool AmountIsApproximate,
    decimal? AmountMin,
    decimal? AmountMax,
    string? AmountText,
    decimal? PostMoney,
    string? PostMoneyCurrency,
    FigureQualifier PostMoneyQualifier,
    bool PostMoneyIsEstimate,
    bool Unverified,
    string? Notes,
    List<SeedParticipation>? Investors,
    List<SeedCitation>? Sources);

public sealed record SeedParticipation(string Investor, bool Lead, decimal? Amount, string? Currency,
    List<SeedCitation>? Sources);

public sealed record SeedValuation(
    DateOnly ValuedOn,
    DatePrecision Precision,
    decimal Amount,
    string Currency,
    FigureQualifier Qualifier,
    ValuationBasis Basis,
    string? Round,
    bool Unverified,
    string? Notes,
    List<SeedCitation>? Sources);

public sealed record SeedEvent(
    DateOnly OccurredOn,
    DatePrecision Precision,
    CompanyEventKind Kind,
    string Title,
    string? Summary,
    string? FocusBefore,
    string? FocusAfter,
    List<SeedCitation>? Sources);

public sealed record SeedModel(
    string Name,
    DateOnly? ReleasedOn,
    DatePrecision Precision,
    bool? OpenWeights,
    string? Licence,
    string? Size,
    string? Modality,
    string? Summary,
    List<SeedCitation>? Sources);

public sealed record SeedExchangeRates(string Source, string Currency, Dictionary<string, decimal> Rates);

public sealed class SeedCitationConverter : JsonConverter<SeedCitation>
{
    public override SeedCitation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new SeedCitation(reader.GetString()!);
        }

        using var doc = JsonDocument.ParseValue(ref reader);
        var o = doc.RootElement;
        string? Str(string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString() : null;
        var source = Str("source") ?? throw new JsonException("A citation object needs \"source\".");
        var unverified = o.TryGetProperty("unverified", out var u) && u.ValueKind == JsonValueKind.True;
        return new SeedCitation(source, Str("field"), Str("value"), Str("claim"), unverified);
    }

    public override void Write(Utf8JsonWriter writer, SeedCitation value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Seed files are read-only.");
}

/// <summary>One row of the default round label table (round-labels.json).</summary>
public sealed record SeedRoundLabel(string Label, RoundStage Stage, string? Notes);
