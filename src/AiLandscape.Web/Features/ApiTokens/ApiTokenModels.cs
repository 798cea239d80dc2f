namespace AiLandscape.Web.Features.ApiTokens;

public sealed record ApiTokenRow(int Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>A token just created: <see cref="Token"/> is shown to its owner once and never stored.</summary>
public sealed record CreatedToken(ApiTokenRow Row, string Token);

public sealed record TokenResult(bool Succeeded, string? Error = null, CreatedToken? Created = null);
