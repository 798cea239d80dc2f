using AiLandscape.Web.Features.Editing;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.People;

/// <summary><c>/api/v1/people</c>: the person form's write endpoints (people have no read API of their own).</summary>
public static class PeopleApi
{
    public static RouteGroupBuilder MapPeopleApi(this RouteGroupBuilder api) =>
        api.MapWritesBySlug<PersonRequest, PersonEditService>(new("people", "Person", "person"),
            async (service, slug, ct) => (await service.EditAsync(slug, ct))?.Request,
            (db, slug, ct) => db.People.Where(x => x.Slug == slug).Select(x => (int?)x.Id).FirstOrDefaultAsync(ct));
}
