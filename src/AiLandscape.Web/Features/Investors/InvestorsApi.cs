using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Api;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Features.Sources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Investors;

/// <summary><c>/api/v1/investors</c>: the /investors list and the investor profiles, from <see cref="InvestorService"/>; and the investor
/// form's write endpoints (<see cref="InvestorEditService"/>, through <see cref="WriteApi"/>).</summary>
public static class InvestorsApi
{
    public static readonly ApiTag Tag = new("Investors", "Investors, their portfolios and co-investors.");

    private static readonly QueryParam[] ListParameters =
    [
        new("q", "Search investor names in any script (typo-tolerant)."),
        QueryParam.Enum<InvestorKind>("kind", "Only investors of this kind."),
        new("sort", "Order (default name).")
            { Values = Enum.GetValues<InvestorSort>().Select(InvestorUrl.SortKey).ToList() },
        new("desc", "true for descending order.", QueryType.Boolean),
        QueryParam.Page,
        QueryParam.PageSize,
    ];

    public static RouteGroupBuilder MapInvestorsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/investors").WithTags(Tag.Name);
        group.MapGet("", ListInvestors).WithName("ListInvestors").WithQuery(ListParameters)
            .WithSummary("List and search investors")
            .WithDescription("Investors with how many companies and rounds they (and their units) took part in.");
        group.MapGet("/{slug}", GetInvestor).WithName("GetInvestor").WithQuery()
            .WithSummary("Get an investor's profile")
            .WithDescription("The investor with its parent and units, figures, rounds, co-investors and sources.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapWritesBySlug<InvestorRequest, InvestorEditService>(new("investors", "Investor", "investor"),
            async (service, slug, ct) => (await service.EditAsync(slug, ct))?.Request,
            (db, slug, ct) => db.Investors.Where(x => x.Slug == slug).Select(x => (int?)x.Id).FirstOrDefaultAsync(ct));
        return api;
    }

    public static async Task<Ok<ApiPage<ApiInvestor>>> ListInvestors(HttpRequest request, InvestorService service,
        CancellationToken ct)
    {
        var q = new ApiQuery(request.Query);
        var query = new InvestorQuery
        {
            Search = q.String("q"), Kind = q.Enum<InvestorKind>("kind"),
            Sort = InvestorUrl.ParseSortKey(q.String("sort")?.ToLowerInvariant()) ?? InvestorSort.Name,
            Descending = q.Bool("desc") ?? false, Page = q.Page - 1, PageSize = q.PageSize,
        };
        var result = await service.ListAsync(query, ct);
        return TypedResults.Ok(ApiPaging.Page(request, result.Items.Select(ApiInvestor.Of).ToList(), result.TotalCount,
            q.Page, q.PageSize));
    }

    public static async Task<Results<Ok<ApiInvestorProfile>, ProblemHttpResult>> GetInvestor(string slug,
        InvestorService service, CancellationToken ct) =>
        await service.GetProfileAsync(slug, ct) is { } profile
            ? TypedResults.Ok(ApiInvestorProfile.Of(profile))
            : ApiProblems.NotFound("investor", slug);
}

public sealed record ApiInvestorLink(string Slug, string NameEn, string? NameZh, InvestorKind Kind)
{
    public static ApiInvestorLink Of(InvestorLink l) => new(l.Slug, l.NameEn, l.NameZh, l.Kind);
}

public sealed record ApiInvestor(string Slug, string NameEn, string? NameZh, InvestorKind Kind, string? Country,
    ApiInvestorLink? Parent, int UnitCount, int CompanyCount, int RoundCount, int LeadCount, ApiDate? LatestInvestment)
{
    public static ApiInvestor Of(InvestorListItem i) => new(i.Slug, i.NameEn, i.NameZh, i.Kind, i.Country,
        i.Parent is null ? null : ApiInvestorLink.Of(i.Parent), i.UnitCount, i.CompanyCount, i.RoundCount, i.LeadCount,
        ApiDate.Of(i.LatestInvestmentOn, i.LatestInvestmentPrecision));
}

/// <summary>A round the investor took part in; <c>via</c> names its units that did when the investor itself did not.</summary>
public sealed record ApiInvestorRound(int Id, ApiCompanyRef Company, ApiDate? Announced, string? Label, RoundStage Stage,
    RoundStatus Status, bool IsUnverified, ApiRoundSize Size, bool IsLead, IReadOnlyList<int> ParticipationIds,
    IReadOnlyList<ApiInvestorLink> Via);

public sealed record ApiCoInvestor(string Slug, string NameEn, string? NameZh, InvestorKind Kind, int SharedRounds,
    int SharedCompanies);

public sealed record ApiInvestorFigures(int CompanyCount, int RoundCount, int LeadCount, ApiDate? FirstInvestment,
    ApiDate? LatestInvestment);

public sealed record ApiInvestorProfile(string Slug, string NameEn, string? NameZh, IReadOnlyList<string> Aliases,
    InvestorKind Kind, string? Country, string? Website, string? Summary, ApiInvestorLink? Parent,
    IReadOnlyList<ApiInvestorLink> Units, ApiInvestorFigures Figures, IReadOnlyList<ApiInvestorRound> Rounds,
    IReadOnlyList<ApiCoInvestor> CoInvestors, IReadOnlyList<ApiCitation> Citations)
{
    public static ApiInvestorProfile Of(InvestorProfile p) => new(p.Slug, p.NameEn, p.NameZh, p.Aliases, p.Kind, p.Country,
        p.Website, p.Summary, p.Parent is null ? null : ApiInvestorLink.Of(p.Parent),
        p.Units.Select(ApiInvestorLink.Of).ToList(),
        new ApiInvestorFigures(p.Figures.CompanyCount, p.Figures.RoundCount, p.Figures.LeadCount,
            ApiDate.Of(p.Figures.FirstInvestmentOn, p.Figures.FirstInvestmentPrecision),
            ApiDate.Of(p.Figures.LatestInvestmentOn, p.Figures.LatestInvestmentPrecision)),
        p.Rounds.Select(Round).ToList(),
        p.CoInvestors.Select(c => new ApiCoInvestor(c.Slug, c.NameEn, c.NameZh, c.Kind, c.SharedRounds, c.SharedCompanies)).ToList(),
        p.Citations.Select(ApiCitation.Of).ToList());

    private static ApiInvestorRound Round(InvestorRound r)
    {
        // The service converts the headline figure only: the amount, else a range's minimum, else its maximum.
        var s = r.Size;
        var size = ApiSizes.Of(s.Disclosure, s.Currency, s.Amount, s.AmountIsApproximate, s.AmountMin, s.AmountMax,
            s.AmountText,
            s.Amount is not null ? s.Usd : null,
            s.Amount is null && s.AmountMin is not null ? s.Usd : null,
            s.Amount is null && s.AmountMin is null ? s.Usd : null);
        return new ApiInvestorRound(r.RoundId, new ApiCompanyRef(r.CompanySlug, r.CompanyNameEn, r.CompanyNameZh),
            ApiDate.Of(r.AnnouncedOn, r.AnnouncedPrecision), r.Label, r.Stage, r.Status, r.IsUnverified, size, r.IsLead,
            r.ParticipationIds, r.Via.Select(ApiInvestorLink.Of).ToList());
    }
}
