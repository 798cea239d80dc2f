using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Api;
using AiLandscape.Web.Features.Editing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiLandscape.Web.Features.Rounds;

/// <summary><c>/api/v1/rounds</c>: the /rounds list with its filters, from <see cref="RoundService"/>; and the round form's
/// write endpoints (<see cref="RoundEditService"/>, through <see cref="WriteApi"/>).</summary>
public static class RoundsApi
{
    public static readonly ApiTag Tag = new("Rounds", "Funding rounds with their size, valuation and investors.");

    private static readonly QueryParam[] ListParameters =
    [
        new("from", "Announced on or after this date (undated rounds drop out).", QueryType.Date),
        new("to", "Announced on or before this date.", QueryType.Date),
        QueryParam.Enum<RoundStage>("stage", "Only rounds of these standard stages.", isList: true),
        new("min", "Size at least this many million US dollars (a range by its minimum; undisclosed rounds drop out).",
            QueryType.Number) { Min = 0 },
        new("max", "Size at most this many million US dollars.", QueryType.Number) { Min = 0 },
        QueryParam.Enum<Disclosure>("disclosure", "Only rounds whose size is disclosed in these ways.", isList: true),
        new("company", "Company name in any script, pinyin or alias."),
        new("investor", "Name of any participating investor."),
        new("currency", "Only rounds reported in these ISO 4217 currencies.") { IsList = true, Pattern = "[A-Za-z]{3}" },
        new("sort", "Order (default date).") { Values = Enum.GetNames<RoundSort>().Select(n => n.ToLowerInvariant()).ToList() },
        new("dir", "Direction; the default is descending for date and amount, ascending otherwise.") { Values = ["asc", "desc"] },
        QueryParam.Page,
        QueryParam.PageSize,
    ];

    public static RouteGroupBuilder MapRoundsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/rounds", ListRounds).WithTags(Tag.Name).WithName("ListRounds").WithQuery(ListParameters)
            .WithSummary("List funding rounds")
            .WithDescription("Every round with the filters of the /rounds page; newest first by default.");
        api.MapWritesById<RoundRequest, RoundEditService>(new("rounds", "Round", "funding round"),
            async (service, id, ct) => (await service.EditAsync(id, ct))?.Request);
        return api;
    }

    public static async Task<Ok<ApiPage<ApiRound>>> ListRounds(HttpRequest request, RoundService service, CancellationToken ct)
    {
        var q = new ApiQuery(request.Query);
        var sort = q.Enum<RoundSort>("sort") ?? RoundSort.Date;
        var query = new RoundQuery
        {
            From = q.Date("from"), To = q.Date("to"), Stages = q.Enums<RoundStage>("stage"),
            MinUsdMillions = q.Decimal("min"), MaxUsdMillions = q.Decimal("max"),
            Disclosures = q.Enums<Disclosure>("disclosure"), Company = q.String("company"), Investor = q.String("investor"),
            Currencies = q.List("currency").Select(c => c.ToUpperInvariant()).Distinct().ToList(),
            Sort = sort,
            Descending = q.String("dir") is { } dir ? dir.Equals("desc", StringComparison.OrdinalIgnoreCase) : RoundQuery.DefaultDescending(sort),
            Page = q.Page - 1, PageSize = q.PageSize,
        };
        var result = await service.ListAsync(query, ct);
        // The page shows the last page for a page past the end; an API client asked for that page, which is empty.
        var items = result.Page == query.Page ? result.Items.Select(ApiRound.Of).ToList() : [];
        return TypedResults.Ok(ApiPaging.Page(request, items, result.TotalCount, q.Page, q.PageSize));
    }
}

public sealed record ApiInvestorRef(string Slug, string NameEn, string? NameZh);

public sealed record ApiRound(int Id, ApiCompanyRef Company, ApiDate? Announced, string? Label, RoundStage Stage,
    RoundStatus Status, bool IsUnverified, ApiRoundSize Size, ApiPostMoney? PostMoney, IReadOnlyList<ApiInvestorRef> Leads,
    IReadOnlyList<ApiInvestorRef> OtherInvestors)
{
    public static ApiRound Of(RoundListItem r)
    {
        var s = r.Size;
        var postMoney = r.PostMoney is { } pm ? ApiMoney.Of(pm.Amount, pm.Currency, pm.Usd) : null;
        return new ApiRound(r.Id, new ApiCompanyRef(r.CompanySlug, r.CompanyNameEn, r.CompanyNameZh),
            ApiDate.Of(r.AnnouncedOn, r.AnnouncedPrecision), r.LabelAsAnnounced, r.Stage, r.Status, r.IsUnverified,
            ApiSizes.Of(s.Disclosure, s.Currency, s.Amount, s.AmountIsApproximate, s.AmountMin, s.AmountMax, s.AmountText,
                s.AmountUsd, s.MinUsd, s.MaxUsd),
            postMoney is null ? null : new ApiPostMoney(postMoney, r.PostMoney!.Qualifier, r.PostMoney.IsEstimate),
            r.Leads.Select(Ref).ToList(), r.OtherInvestors.Select(Ref).ToList());
    }

    private static ApiInvestorRef Ref(RoundInvestor i) => new(i.Slug, i.NameEn, i.NameZh);
}

/// <summary>Money raised across the counted rounds in USD; null when none has an amount (never 0 for "unknown").</summary>
public sealed record ApiFundingTotal(decimal? Usd, bool IsLowerBound, int RoundCount, int UndisclosedCount, bool UsesApproximateRates)
{
    public static ApiFundingTotal Of(FundingTotal t) =>
        new(t.HasAnyAmount ? Decimals.Plain(t.Usd) : null, t.IsLowerBound, t.RoundCount, t.UndisclosedCount, t.UsesApproximateRates);
}
