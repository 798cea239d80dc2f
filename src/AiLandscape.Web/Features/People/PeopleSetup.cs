namespace AiLandscape.Web.Features.People;

public static class PeopleSetup
{
    /// <summary>The people's list and profiles, and the person form (its write API: <see cref="PeopleApi"/>).</summary>
    public static IServiceCollection AddPeople(this IServiceCollection services) =>
        services.AddScoped<PersonService>().AddScoped<PersonEditService>();
}
