using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.ExchangeRates;

public static class ExchangeRatesSetup
{
    /// <summary>The /exchange-rates list and form, and their section of the API reference.</summary>
    public static IServiceCollection AddExchangeRates(this IServiceCollection services) =>
        services.AddScoped<ExchangeRateEditService>().AddApiTag(ExchangeRatesApi.Tag);
}
