using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Rounds;

public sealed class RoundService(IDbContextFactory<AppDbContext> factory)
{
    private readonly IDbContextFactory<AppDbContext> _factory = factory;
}
