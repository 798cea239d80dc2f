using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Events;

public static class EventsSetup
{
    /// <summary>The event form: the services, and the area's section of the API reference (<see cref="EventsApi"/>).</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services)
    {
        services.AddScoped<EventEditService>();
        services.AddApiTag(EventsApi.Tag, "Pivots, filings, listings and other milestones.");
        return services;
    }
}
