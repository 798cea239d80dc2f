using Microsoft.AspNetCore.Diagnostics;

namespace AiLandscape.Web.Features.Accounts;

/// <summary>
/// Turns a <see cref="ForbiddenException"/> that escapes an endpoint into 403 ProblemDetails instead of a 500.
/// Runs inside UseExceptionHandler (outside Development; Development shows the developer exception page).
/// </summary>
public sealed class ForbiddenExceptionHandler(ILogger<ForbiddenExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not ForbiddenException forbidden)
        {
            return false;
        }
        logger.LogWarning("Refused {Method} {Path}: {Reason}", httpContext.Request.Method, httpContext.Request.Path, forbidden.Message);
        await TypedResults.Problem(detail: forbidden.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden")
            .ExecuteAsync(httpContext);
        return true;
    }
}
