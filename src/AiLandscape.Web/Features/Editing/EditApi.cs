using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.History;

namespace AiLandscape.Web.Features.Editing;

/// <summary>How the write API answers a <see cref="SaveResult"/>: the same outcomes the forms show, as HTTP.</summary>
public static class EditApi
{
    public const string NeedsConfirmationType = "https://github.com/ailandscape/ailandscape/blob/main/docs/api.md#needs-confirmation";
    public const string ConflictType = "https://github.com/ailandscape/ailandscape/blob/main/docs/api.md#conflict";

    /// <summary>Runs a write; a refusal by the service (a stale session of a disabled editor) is a 403, not a 500.</summary>
    public static async Task<IResult> RunAsync(Func<Task<IResult>> write)
    {
        try
        {
            return await write();
        }
        catch (ForbiddenException ex)
        {
            return TypedResults.Problem(detail: ex.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }
    }

    public static IResult ToHttp(SaveResult result, Func<SaveResult, IResult> saved) => result.Status switch
    {
        SaveStatus.Saved => saved(result),
        SaveStatus.Invalid => TypedResults.ValidationProblem(
            result.Errors.GroupBy(e => e.Field.Length == 0 ? "request" : ToJsonPath(e.Field))
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: "Nothing was saved: " + string.Join(" ", result.Errors.Select(e => e.Message)),
            title: "The request breaks a rule"),
        SaveStatus.NeedsConfirmation => TypedResults.Problem(
            detail: string.Join(" ", result.Warnings.Select(w => w.Message)) + " Send the request again with \"confirmed\": true to save anyway.",
            statusCode: StatusCodes.Status409Conflict, title: "Please confirm", type: NeedsConfirmationType,
            extensions: new Dictionary<string, object?>
            {
                ["warnings"] = result.Warnings.Select(w => new { field = ToJsonPath(w.Field), message = w.Message }).ToList(),
            }),
        SaveStatus.Conflict => TypedResults.Problem(
            detail: $"Another editor changed this {result.Conflict?.RecordLabel ?? "record"} since your version. Load it again, or send \"overwrite\": true to replace their change.",
            statusCode: StatusCodes.Status409Conflict, title: "Edit conflict", type: ConflictType,
            extensions: new Dictionary<string, object?>
            {
                ["changes"] = (result.Conflict?.Changes ?? []).Select(c => new
                {
                    user = c.UserName, at = c.At,
                    fields = c.Fields.Select(f => new { field = ToJsonPath(f.Field), old = HistoryFormat.Value(f.Old), @new = HistoryFormat.Value(f.New) }),
                }).ToList(),
            }),
        _ => TypedResults.Problem(detail: result.Errors.FirstOrDefault()?.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
    };

    /// <summary>"Participations[1].NewInvestorNameEn" → "participations[1].newInvestorNameEn": the JSON names.</summary>
    public static string ToJsonPath(string field) => string.Join('.', field.Split('.').Select(part =>
        part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));
}
