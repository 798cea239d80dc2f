using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.ExchangeRates;

public static class ExchangeRatesSetup
{
    /// <summary>The /exchange-rates list and form: the services, and the area's section of the API reference (<see cref="ExchangeRatesApi"/>).</summary>
    public static IServiceCollection AddExchangeRates(this IServiceCollection services)
    {
        services.AddScoped<ExchangeRateEditService>();
        services.AddApiTag(ExchangeRatesApi.Tag, "Monthly rates used for the USD equivalents.");
        return services;
    }
}
