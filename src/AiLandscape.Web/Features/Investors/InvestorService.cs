using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Investors;

public sealed class InvestorService(IDbContextFactory<AppDbContext> factory)
{
    private readonly IDbContextFactory<AppDbContext> _factory = factory;
}
