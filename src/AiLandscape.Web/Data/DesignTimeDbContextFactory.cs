using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AiLandscape.Web.Data;

/// <summary>
/// Lets `dotnet ef migrations add` build the model without starting the app (and its embedded database).
/// Adding a migration never connects, so the connection string only has to parse.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<AppDbContext>()
        .UseNpgsql(Environment.GetEnvironmentVariable("ConnectionStrings__AiLandscape") ?? "Host=localhost;Database=ailandscape")
        .UseSnakeCaseNamingConvention()
        .Options);
}
