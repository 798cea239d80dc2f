using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Api;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Features.Sources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Companies;

/// <summary><c>/api/v1/companies</c>: the /companies directory and the company profiles, from <see cref="CompanyService"/>; and the company form's
/// write endpoints (<see cref="CompanyEditService"/>, through <see cref="WriteApi"/>).</summary>
public static class CompaniesApi
{
    public static readonly ApiTag Tag = new("Companies", "The company directory and profiles.");

    private static readonly QueryParam[] ListParameters =
    [
        new("q", "Search English, Chinese, pinyin, legal names and aliases (typo- and accent-tolerant)."),
        new("sector", "Only companies in this sector (exact value, see the directory's facets)."),
        new("city", "Only companies headquartered in this city."),
        QueryParam.Enum<CompanyStatus>("status", "Only companies with this status."),
        new("group", "Only companies in this group, e.g. \"Six Tigers\"."),
        new("from", "Founded in or after this year.", QueryType.Integer) { Min = 1900, Max = 2100 },
        new("to", "Founded in or before this year.", QueryType.Integer) { Min = 1900, Max = 2100 },
        new("rmin", "Total raised at least this many million US dollars.", QueryType.Number) { Min = 0 },
        new("rmax", "Total raised at most this many million US dollars.", QueryType.Number) { Min = 0 },
        new("sort", "Order: relevance (default with q), name (default without), or one of the columns.")
            { Values = ["relevance", .. CompanyListUrl.SortParams] },
        new("desc", "true for descending order.", QueryType.Boolean),
        QueryParam.Page,
        QueryParam.PageSize,
    ];

    public static RouteGroupBuilder MapCompaniesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/companies").WithTags(Tag.Name);
        group.MapGet("", ListCompanies).WithName("ListCompanies").WithQuery(ListParameters)
            .WithSummary("List and search companies")
            .WithDescription("The /companies directory: search, facets, sort and page, with each company's key figures.");
        group.MapGet("/{slug}", GetCompany).WithName("GetCompany").WithQuery()
            .WithSummary("Get a company's profile")
            .WithDescription("Names, facts, people with roles, funding rounds with investors, valuations, events, model " +
                             "releases and the sources behind each record.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        // The write API addresses a company by its slug, as the read API and the pages do.
        api.MapWritesBySlug<CompanyRequest, CompanyEditService>(new("companies", "Company", "company"),
            async (service, slug, ct) => (await service.EditAsync(slug, ct))?.Request,
            (db, slug, ct) => db.Companies.Where(x => x.Slug == slug).Select(x => (int?)x.Id).FirstOrDefaultAsync(ct));
        return api;
    }

    public static async Task<Ok<ApiPage<ApiCompany>>> ListCompanies(HttpRequest request, CompanyService service,
        CancellationToken ct)
    {
        var q = new ApiQuery(request.Query);
        var search = q.String("q");
        var sort = q.String("sort") is { } s
            ? CompanyListUrl.SortFor(s) ?? CompanySort.Relevance
            : CompanySort.Relevance;
        var query = new CompanyQuery
        {
            Search = search, Sector = q.String("sector"), City = q.String("city"), Group = q.String("group"),
            Status = q.Enum<CompanyStatus>("status"), FoundedFrom = q.Int("from"), FoundedTo = q.Int("to"),
            RaisedMinMillions = q.Decimal("rmin"), RaisedMaxMillions = q.Decimal("rmax"),
            Sort = sort == CompanySort.Relevance && search is null ? CompanySort.Name : sort,
            Descending = q.Bool("desc") ?? false,
            Page = q.Page - 1, PageSize = q.PageSize,
        };
        var result = await service.SearchAsync(query, ct);
        return TypedResults.Ok(ApiPaging.Page(request, result.Items.Select(ApiCompany.Of).ToList(), result.TotalCount,
            q.Page, q.PageSize));
    }

    public static async Task<Results<Ok<ApiCompanyProfile>, ProblemHttpResult>> GetCompany(string slug,
        CompanyService service, CancellationToken ct) =>
        await service.GetProfileAsync(slug, ct) is { } profile
            ? TypedResults.Ok(ApiCompanyProfile.Of(profile))
            : ApiProblems.NotFound("company", slug);
}

/// <summary>Key figures kept up to date for the directory: USD totals at the rate of each figure's month. The latest
/// valuation's qualifier is that of the valuation as reported (the pages' "~US$4.8B"); null without a valuation.</summary>
public sealed record ApiCompanyFigures(decimal? TotalRaisedUsd, bool TotalRaisedIsFloor, int RoundCount,
    int UndisclosedRoundCount, int InvestorCount, DateOnly? LastRoundOn, decimal? LatestValuationUsd,
    DateOnly? LatestValuationOn, FigureQualifier? LatestValuationQualifier);

public sealed record ApiCompany(string Slug, string NameEn, string? NameZh, string? HeadquartersCity, ApiDate? Founded,
    CompanyStatus Status, string? ListingVenue, string? Ticker, IReadOnlyList<string> Sectors, IReadOnlyList<string> Groups,
    ApiCompanyFigures Figures)
{
    public static ApiCompany Of(CompanyRow r) => new(r.Slug, r.NameEn, r.NameZh, r.HeadquartersCity,
        ApiDate.Of(r.FoundedOn, r.FoundedPrecision), r.Status, r.ListingVenue, r.Ticker, r.Sectors, r.Groups,
        new ApiCompanyFigures(Decimals.Plain(r.Figures.TotalRaisedUsd), r.Figures.TotalRaisedIsFloor, r.Figures.RoundCount,
            r.Figures.UndisclosedRoundCount, r.Figures.InvestorCount, r.Figures.LastRoundOn, Decimals.Plain(r.Figures.LatestValuationUsd),
            r.Figures.LatestValuationOn, r.Figures.LatestValuationOn is null ? null : r.Figures.LatestValuationQualifier));
}

public sealed record ApiRole(PersonRoleKind Kind, string? Title, DateOnly? StartedOn, DateOnly? EndedOn);

public sealed record ApiPerson(string Slug, string NameEn, string? NameZh, string? Bio, IReadOnlyList<ApiRole> Roles);

public sealed record ApiParticipation(int Id, string Slug, string NameEn, string? NameZh, bool IsLead, ApiMoney? Amount);

public sealed record ApiCompanyRound(int Id, ApiDate? Announced, DateOnly? ClosedOn, string? Label, RoundStage Stage,
    RoundStatus Status, ApiRoundSize Size, ApiPostMoney? PostMoney, bool IsUnverified, string? Notes,
    IReadOnlyList<ApiParticipation> Investors);

/// <summary>A company's profile. Each citation points at the company or at a person's role, round, participation,
/// valuation, event or model in this answer by <c>recordType</c> and <c>recordId</c>. <c>statements</c> are what
/// sources say about the company without a figure (the profile's "What sources say"), newest source first.</summary>
public sealed record ApiCompanyProfile(
    string Slug, string NameEn, string? NameZh, string? Pinyin, IReadOnlyList<string> LegalNames,
    IReadOnlyList<string> Aliases, ApiDate? Founded, string? HeadquartersCity, string? Website, CompanyStatus Status,
    string? ListingVenue, string? Ticker, DateOnly? ListedOn, string? Summary, IReadOnlyList<string> Sectors,
    IReadOnlyList<string> Groups, ApiFundingTotal TotalRaised, IReadOnlyList<ApiPerson> People,
    IReadOnlyList<ApiCompanyRound> Rounds, IReadOnlyList<ApiValuation> Valuations, IReadOnlyList<ApiEvent> Events,
    IReadOnlyList<ApiModel> Models, IReadOnlyList<ApiCitation> Citations, IReadOnlyList<ApiStatement> Statements)
{
    public static ApiCompanyProfile Of(CompanyProfile p) => new(p.Slug, p.NameEn, p.NameZh, p.Pinyin, p.LegalNames,
        p.Aliases, ApiDate.Of(p.FoundedOn, p.FoundedPrecision), p.HeadquartersCity, p.Website, p.Status, p.ListingVenue,
        p.Ticker, p.ListedOn, p.Summary, p.Sectors, p.Groups, ApiFundingTotal.Of(p.Figures.TotalRaised),
        p.People.Select(x => new ApiPerson(x.Slug, x.NameEn, x.NameZh, x.Bio,
            x.Roles.Select(r => new ApiRole(r.Kind, r.Title, r.StartedOn, r.EndedOn)).ToList())).ToList(),
        p.Rounds.Select(Round).ToList(),
        p.Valuations.Select(ApiValuation.Of).ToList(),
        p.Events.Select(e => ApiEvent.Of(e)).ToList(),
        p.Models.Select(m => ApiModel.Of(m)).ToList(),
        p.Citations.All.Select(ApiCitation.Of).ToList(),
        p.Statements.Select(ApiStatement.Of).ToList());

    private static ApiCompanyRound Round(RoundView r)
    {
        // The profile converts the amount, or a range's lower bound when there is no amount.
        var size = ApiSizes.Of(r.Disclosure, r.Currency, r.Amount, r.AmountIsApproximate, r.AmountMin, r.AmountMax,
            r.AmountText, r.Amount is null ? null : r.AmountUsd, r.Amount is null ? r.AmountUsd : null, null);
        var postMoney = ApiMoney.Of(r.PostMoney, r.PostMoneyCurrency ?? r.Currency, r.PostMoneyUsd);
        return new ApiCompanyRound(r.Id, ApiDate.Of(r.AnnouncedOn, r.AnnouncedPrecision), r.ClosedOn, r.Label, r.Stage,
            r.Status, size, postMoney is null ? null : new ApiPostMoney(postMoney, r.PostMoneyQualifier, r.PostMoneyIsEstimate),
            r.IsUnverified, r.Notes,
            r.Investors.Select(i => new ApiParticipation(i.ParticipationId, i.Slug, i.NameEn, i.NameZh, i.IsLead,
                ApiMoney.Of(i.Amount, i.Currency, null))).ToList());
    }
}

// The contract records built from this area's view records (see Api/ApiRecords.cs), used by the valuations', events'
// and models' lists too.

public static class CompanyApiRefs
{
    public static ApiCompanyRef Of(CompanyRef c) => new(c.Slug, c.NameEn, c.NameZh);
}

public sealed record ApiValuation(int Id, ApiCompanyRef? Company, ApiDate Valued, ApiMoney Value, FigureQualifier Qualifier,
    ValuationBasis Basis, int? FundingRoundId, bool IsUnverified)
{
    public static ApiValuation Of(ValuationView v) => new(v.Id, null, new ApiDate(v.ValuedOn, v.Precision),
        ApiMoney.Of(v.Amount, v.Currency, v.Usd)!, v.Qualifier, v.Basis, v.FundingRoundId, v.IsUnverified);

    public static ApiValuation Of(ValuationListItem v) => new(v.Id, CompanyApiRefs.Of(v.Company),
        new ApiDate(v.ValuedOn, v.Precision), ApiMoney.Of(v.Amount, v.Currency, v.Usd)!, v.Qualifier, v.Basis,
        v.FundingRoundId, v.IsUnverified);
}

public sealed record ApiEvent(int Id, ApiCompanyRef? Company, ApiDate Occurred, CompanyEventKind Kind, string Title,
    string? Summary, string? FocusBefore, string? FocusAfter)
{
    public static ApiEvent Of(EventView e, CompanyRef? company = null) => new(e.Id,
        company is null ? null : CompanyApiRefs.Of(company), new ApiDate(e.OccurredOn, e.Precision), e.Kind, e.Title,
        e.Summary, e.FocusBefore, e.FocusAfter);
}

public sealed record ApiModel(int Id, ApiCompanyRef? Company, string Name, ApiDate? Released, bool? OpenWeights,
    string? Licence, string? Size, string? Modality, string? Summary)
{
    public static ApiModel Of(ModelView m, CompanyRef? company = null) => new(m.Id,
        company is null ? null : CompanyApiRefs.Of(company), m.Name, ApiDate.Of(m.ReleasedOn, m.Precision), m.OpenWeights,
        m.Licence, m.Size, m.Modality, m.Summary);
}

/// <summary>
/// A statement a source makes about the company without a figure a record could hold ("no IPO plan", revenue, cash):
/// the profile's "What sources say".
/// </summary>
public sealed record ApiStatement(string Claim, int SourceId, string Title, string? Url, string? Publisher,
    string? OriginalPublisher, ApiDate? Published, SourceKind Kind, bool IsUnverified)
{
    public static ApiStatement Of(CitationView c) => new(c.Claim!, c.SourceId, c.Title, c.Url, c.Publisher,
        c.OriginalPublisher, ApiDate.Of(c.PublishedOn, c.PublishedPrecision), c.Kind, c.IsUnverified);
}
