using AiLandscape.Web.Features.Api;

namespace AiLandscape.Web.Features.Events;

public static class EventsSetup
{
    /// <summary>The event form, and the events' section of the API reference.</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services) =>
        services.AddScoped<EventEditService>().AddApiTag(EventsApi.Tag);
}
