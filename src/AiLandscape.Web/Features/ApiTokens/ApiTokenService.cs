using System.Security.Cryptography;
using System.Text;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.ApiTokens;

/// <summary>Signed-in users create, list and revoke their own API tokens.</summary>
public sealed class ApiTokenService(IDbContextFactory<AppDbContext> factory, CurrentUser user, ILogger<ApiTokenService> log)
{
    public const string TokenPrefix = "ail_";
    public const int MaxActiveTokens = 10;
    public const int MaxLifetimeDays = 365;

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public async Task<IReadOnlyList<ApiTokenRow>> ListMineAsync(CancellationToken ct = default)
    {
        var userId = RequireUser();
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new ApiTokenRow(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt))
            .ToListAsync(ct);
    }

    public async Task<TokenResult> CreateAsync(string? name, int? expiresInDays, CancellationToken ct = default)
    {
        var userId = RequireUser();
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return new TokenResult(false, "Name is required: say what the token is for (e.g. \"notebook\").");
        }
        if (name.Length > 100)
        {
            return new TokenResult(false, "Name must be at most 100 characters.");
        }
        if (Editing.TextRules.FirstRefused(name) is { } found)
        {
            // A lone surrogate failed the save (a DbUpdateException); a direction override would disguise the name.
            return new TokenResult(false, Editing.TextRules.Message("Name", found));
        }
        if (expiresInDays is not (>= 1 and <= MaxLifetimeDays))
        {
            // A token that never expires outlives the reason it was made; a year is the most.
            return new TokenResult(false, $"Expires in must be between 1 and {MaxLifetimeDays} days.");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var active = await db.ApiTokens.CountAsync(t => t.UserId == userId && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now), ct);
        if (active >= MaxActiveTokens)
        {
            return new TokenResult(false, $"You already have {MaxActiveTokens} active tokens: revoke one first.");
        }
        var token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var row = new ApiToken
        {
            UserId = userId, Name = name, TokenHash = Hash(token), Prefix = token[..12], CreatedAt = now,
            ExpiresAt = now.AddDays(expiresInDays.Value),
        };
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync(ct);
        log.LogInformation("{User} created API token {TokenId} ({Prefix}…)", user.UserName, row.Id, row.Prefix);
        return new TokenResult(true, Created: new CreatedToken(
            new ApiTokenRow(row.Id, row.Name, row.Prefix, row.CreatedAt, row.ExpiresAt, null, null), token));
    }

    /// <summary>Revokes one of the user's own tokens; requests with it are refused from now on.</summary>
    public async Task<TokenResult> RevokeAsync(int id, CancellationToken ct = default)
    {
        var userId = RequireUser();
        await using var db = await factory.CreateDbContextAsync(ct);
        var revoked = await db.ApiTokens.Where(t => t.Id == id && t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.RevokedAt, DateTimeOffset.UtcNow), ct);
        if (revoked == 0)
        {
            return new TokenResult(false, "That token does not exist or is already revoked.");
        }
        log.LogInformation("{User} revoked API token {TokenId}", user.UserName, id);
        return new TokenResult(true);
    }

    private string RequireUser() =>
        user.UserId ?? throw new ForbiddenException("Log in to manage your API tokens.");
}
