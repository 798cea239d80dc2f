using System.Security.Claims;
using System.Text.Encodings.Web;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AiLandscape.Web.Features.ApiTokens;

/// <summary>
/// Authenticates "Authorization: Bearer ail_..." against the stored hashes. The principal carries the owner's
/// current roles (read on every request), so a revoked token, a disabled account or a removed role takes effect at
/// once. A request without a token is left to the cookie.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IDbContextFactory<AppDbContext> factory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    private static readonly string[] DemoNormalizedEmails =
        [.. AccountSeeder.DemoUsers.Select(d => d.Email.ToUpperInvariant())];

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith(ApiTokenService.TokenPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail("Not an AiLandscape API token.");
        }
        var hash = ApiTokenService.Hash(token);
        var now = DateTimeOffset.UtcNow;
        await using var db = await factory.CreateDbContextAsync(Context.RequestAborted);
        // The demo accounts' passwords are published: outside Development their tokens fail too, even if an account
        // was re-enabled in the database by hand (the sign-in refuses them the same way).
        var refused = Context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment() ? [] : DemoNormalizedEmails;
        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now) && !t.User.IsDisabled
                        && !refused.Contains(t.User.NormalizedEmail!))
            .Select(t => new
            {
                t.Id, t.UserId, t.User.UserName, t.User.DisplayName, t.LastUsedAt,
                Roles = db.UserRoles.Where(ur => ur.UserId == t.UserId)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (found is null)
        {
            return AuthenticateResult.Fail("The API token is unknown, revoked or expired, or its account is disabled.");
        }
        if (found.LastUsedAt is null || found.LastUsedAt < now.AddMinutes(-1))
        {
            // At most one write a minute per token: "last used" is for the owner, not an access log.
            await db.ApiTokens.Where(t => t.Id == found.Id)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.LastUsedAt, now), Context.RequestAborted);
        }
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, found.UserId),
            new(ClaimTypes.Name, found.UserName ?? found.UserId),
            new("api_token_id", found.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (!string.IsNullOrEmpty(found.DisplayName))
        {
            claims.Add(new Claim(CurrentUser.DisplayNameClaim, found.DisplayName));
        }
        claims.AddRange(found.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The cookie scheme, challenged first, may already have written a problem-details 401.
        if (Response.HasStarted)
        {
            return Task.CompletedTask;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (!Response.HasStarted)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        return Task.CompletedTask;
    }
}
