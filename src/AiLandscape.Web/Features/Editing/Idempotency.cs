using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AiLandscape.Web.Data;
using AiLandscape.Web.Data.Configurations;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AiLandscape.Web.Features.Editing;

/// <summary>What a saved write API request answered: kept under its Idempotency-Key and replayed to a retry.</summary>
public sealed record ApiSaved(int Status, string? Location, int? Id, string? Slug)
{
    public IResult ToResult() => Status switch
    {
        StatusCodes.Status201Created => TypedResults.Created(Location, new WriteApi.Saved(Id!.Value, Slug)),
        StatusCodes.Status204NoContent => TypedResults.NoContent(),
        _ => TypedResults.Ok(new WriteApi.Saved(Id!.Value, Slug)),
    };
}

/// <summary>A second request with the same key committed its save first: its answer is the one to give.</summary>
public sealed class IdempotencyKeyTakenException() : Exception("Another request with this Idempotency-Key saved first.");

/// <summary>
/// The write API request being handled, when it carries an <c>Idempotency-Key</c> (scoped: one per request).
/// <see cref="AuditedWriter"/> stores the key with the request's answer in the transaction of the audited save, so
/// either both the change and its key are committed or neither is: a retry after a lost answer finds the key and
/// gets the first answer back; a retry after a failed save finds nothing and saves. ADR 0025.
/// </summary>
public sealed class IdempotentWrite
{
    public const string Header = "Idempotency-Key";

    /// <summary>How long a key is remembered; a key older than this may be used again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    internal string? UserId { get; private set; }
    internal string? Key { get; private set; }
    internal byte[]? RequestHash { get; private set; }
    private Func<SaveResult, ApiSaved>? _answer;
    private bool _recorded;

    /// <summary>Called by the endpoint before it saves: how a saved result is answered (stored with the key).</summary>
    public void AnswerWith(Func<SaveResult, ApiSaved> answer) => _answer = answer;

    internal void Begin(string userId, string key, byte[] hash)
    {
        UserId = userId;
        Key = key;
        RequestHash = hash;
    }

    /// <summary>
    /// First in the save's transaction: waits until no other request with this user's key is saving (a lock held to
    /// the end of that one's transaction), then stops when that one stored the key. Without it, two requests sent at
    /// once both pass the filter's look-up and the second fails on whatever the first one created (its new source,
    /// say) instead of answering as the first did.
    /// </summary>
    internal async Task ClaimAsync(AppDbContext db, CancellationToken ct)
    {
        if (Key is null || _recorded)
        {
            return;
        }
        var lockName = UserId + "\n" + Key;
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({lockName}, 0))", ct);
        if (await db.IdempotencyKeys.AnyAsync(k => k.UserId == UserId && k.Key == Key, ct))
        {
            throw new IdempotencyKeyTakenException();
        }
    }

    /// <summary>In the save's transaction: stores the key and the answer (once per request).</summary>
    internal async Task RecordAsync(AppDbContext db, SaveResult result, CancellationToken ct)
    {
        if (Key is null || _answer is null || _recorded || result.Status != SaveStatus.Saved)
        {
            return;
        }
        var answer = _answer(result);
        db.IdempotencyKeys.Add(new IdempotencyKey
        {
            UserId = UserId!, Key = Key, RequestHash = RequestHash!, StatusCode = answer.Status, Location = answer.Location,
            RecordId = answer.Id, RecordSlug = answer.Slug, CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync(ct);
        _recorded = true;
    }

    /// <summary>Whether a save failed because another request with the same key committed first.</summary>
    internal static bool IsKeyTaken(Exception ex) =>
        (ex as PostgresException ?? ex.InnerException as PostgresException) is
            { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_idempotency_keys" };

    /// <summary>
    /// The endpoint filter of the write API: without the header, nothing changes. With it, a key this user has
    /// already saved under answers as the first time (same request) or 422 (another request); otherwise the
    /// request runs and its save stores the key.
    /// </summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(Header, out var values))
        {
            return await next(context);
        }
        var key = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrEmpty(key) || key.Length > IdempotencyKeyConfiguration.MaxKeyLength || key.Any(ch => ch is < '!' or > '~'))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [Header] = [$"The {Header} header must be one value of 1 to {IdempotencyKeyConfiguration.MaxKeyLength} visible ASCII characters (a UUID will do)."],
            });
        }
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return await next(context);
        }
        var hash = await HashAsync(http.Request);
        var factory = http.RequestServices.GetRequiredService<IDbContextFactory<AppDbContext>>();
        if (await AnswerOfAsync(factory, userId, key, hash, http.RequestAborted) is { } earlier)
        {
            return earlier;
        }
        http.RequestServices.GetRequiredService<IdempotentWrite>().Begin(userId, key, hash);
        try
        {
            return await next(context);
        }
        catch (IdempotencyKeyTakenException)
        {
            return await AnswerOfAsync(factory, userId, key, hash, http.RequestAborted)
                ?? TypedResults.Problem(detail: "A request with the same Idempotency-Key was being saved; send it again.",
                    statusCode: StatusCodes.Status409Conflict, title: "Edit conflict");
        }
    }

    /// <summary>The stored answer for the key (null when none, or expired: then it is forgotten).</summary>
    private static async Task<IResult?> AnswerOfAsync(IDbContextFactory<AppDbContext> factory, string userId, string key,
        byte[] hash, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var stored = await db.IdempotencyKeys.AsNoTracking().SingleOrDefaultAsync(k => k.UserId == userId && k.Key == key, ct);
        if (stored is null)
        {
            return null;
        }
        if (stored.CreatedAt < DateTimeOffset.UtcNow - Lifetime)
        {
            var expired = DateTimeOffset.UtcNow - Lifetime;
            await db.IdempotencyKeys.Where(k => k.CreatedAt < expired).ExecuteDeleteAsync(ct);
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(stored.RequestHash, hash))
        {
            return TypedResults.Problem(
                detail: $"The {Header} header's value was used for a different request (another method, address or body). " +
                        "Use a new key for a new request; send the same request to retry one.",
                statusCode: StatusCodes.Status422UnprocessableEntity, title: $"{Header} reused",
                extensions: new Dictionary<string, object?> { ["header"] = Header });
        }
        return new ApiSaved(stored.StatusCode, stored.Location, stored.RecordId, stored.RecordSlug).ToResult();
    }

    /// <summary>SHA-256 of method, path, query and body (the body was buffered by <see cref="BufferBodies"/>).</summary>
    private static async Task<byte[]> HashAsync(HttpRequest request)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}\n{request.QueryString}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, read);
            }
            request.Body.Position = 0;
        }
        return sha.GetHashAndReset();
    }

    /// <summary>
    /// Middleware: a request with the header keeps its body (the write API's bodies are small, and Kestrel limits
    /// them) so that the filter can hash what model binding has already read.
    /// </summary>
    public static IApplicationBuilder BufferBodies(IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Headers.ContainsKey(Header))
        {
            http.Request.EnableBuffering();
        }
        await next(http);
    });
}
