namespace AiLandscape.Web.Data;

/// <summary>How much of a date a source actually gave ("2022", "Mar 2024", "9 Jan 2026").</summary>
public enum DatePrecision { Day, Month, Quarter, Year }

public enum CompanyStatus { Private, Public, Acquired, Closed }

public enum PersonRoleKind { Founder, CoFounder, Ceo, Chairman, President, Executive }

public enum InvestorKind
{
    VentureCapital,
    CorporateStrategic,
    StateBackedFund,
    PrivateEquity,
    Sovereign,
    Angel,
    ParentCompany,
    Other,
}

/// <summary>Standard stage a round label "as announced" maps to.</summary>
public enum RoundStage
{
    Unnamed,
    Angel,
    Seed,
    SeriesA,
    SeriesB,
    SeriesC,
    SeriesD,
    LaterStage,
    Strategic,
    PreIpo,
    Ipo,
}

/// <summary>What is known about a round's size. Undisclosed is never stored as zero.</summary>
public enum Disclosure
{
    /// <summary>One reported amount (possibly approximate, see <c>AmountIsApproximate</c>).</summary>
    Disclosed,
    /// <summary>A lower and/or upper bound (">$1B", "hundreds of millions").</summary>
    Range,
    /// <summary>An estimate by a third party, not a reported amount.</summary>
    Estimated,
    Undisclosed,
}

/// <summary>Whether a round has happened or was only reported as being raised.</summary>
public enum RoundStatus { Completed, InProgress }

/// <summary>How a valuation figure was qualified by its source.</summary>
public enum FigureQualifier { Exact, Approximate, AtLeast, AtMost }

public enum ValuationBasis { PostMoney, PreMoney, IpoOffer, MarketCap, Estimate }

public enum CompanyEventKind
{
    Pivot,
    Strategy,
    Regulatory,
    IpoFiling,
    Listing,
    Leadership,
    Partnership,
    Funding,
    Other,
}

/// <summary>Where a source stands as evidence (issue "Provenance" ranks them).</summary>
public enum SourceKind
{
    RegulatoryFiling,
    CompanyAnnouncement,
    NewsAgency,
    Newspaper,
    Aggregator,
    Mirror,
    Other,
}

/// <summary>The record types that citations and audit entries can point at.</summary>
public enum RecordType
{
    Company,
    Person,
    CompanyRole,
    Investor,
    FundingRound,
    Participation,
    ValuationPoint,
    CompanyEvent,
    ModelRelease,
    Source,
    Citation,
    ExchangeRate,
    DisputeResolution,
    RoundLabelMapping,
}

public enum AuditAction { Create, Update, Delete, Revert }
