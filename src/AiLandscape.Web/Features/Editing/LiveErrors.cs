using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiLandscape.Web.Features.Editing;

/// <summary>
/// The errors of a failed save as they stand now, so an error goes the moment its cause is fixed (not at the next
/// save). An error from the form's own rules (<see cref="EditRequest.Validate"/>) stays while the rule still fails,
/// with the rule's current message; an error only the server can find (a slug taken, a URL already a source) stays
/// until the value it is about changes. Every edit form shows its errors through this.
/// </summary>
public static class LiveErrors
{
    private sealed class Memo
    {
        public required JsonNode? Submitted { get; init; }
        public required HashSet<string> RuleFields { get; init; }
        public string? LastJson { get; set; }
        public SaveResult? LastShown { get; set; }
    }

    private static readonly ConditionalWeakTable<SaveResult, Memo> Memos = new();

    /// <summary>
    /// <paramref name="result"/> re-checked against <paramref name="request"/>; the first call for a result (made when
    /// the failed save is shown) notes the form as it was submitted.
    /// </summary>
    public static SaveResult? Recheck(this SaveResult? result, EditRequest? request)
    {
        if (result is not { Status: SaveStatus.Invalid } || result.Errors.Count == 0 || request is null)
        {
            return result;
        }
        var json = JsonSerializer.Serialize(request, request.GetType())
                   + string.Concat(request.UnreadableInput.OrderBy(u => u.Key).Select(u => u.Key + u.Value));
        var v = new Validator();
        if (!Memos.TryGetValue(result, out var memo))
        {
            request.Validate(v);
            memo = new Memo
            {
                Submitted = JsonNode.Parse(JsonSerializer.Serialize(request, request.GetType())),
                RuleFields = v.Errors.Select(e => e.Field).ToHashSet(),
                LastJson = json,
                LastShown = result,
            };
            Memos.AddOrUpdate(result, memo);
            return result;
        }
        if (memo.LastJson == json)
        {
            return memo.LastShown;
        }
        request.Validate(v);
        var now = JsonNode.Parse(JsonSerializer.Serialize(request, request.GetType()));
        var kept = new List<FieldMessage>();
        foreach (var error in result.Errors)
        {
            if (v.Errors.FirstOrDefault(e => e.Field == error.Field) is { } still)
            {
                kept.Add(still);
            }
            else if (!memo.RuleFields.Contains(error.Field) && JsonNode.DeepEquals(At(memo.Submitted, error.Field), At(now, error.Field)))
            {
                kept.Add(error);
            }
        }
        memo.LastJson = json;
        memo.LastShown = kept.Count == result.Errors.Count && kept.SequenceEqual(result.Errors)
            ? result
            : result with { Errors = kept };
        return memo.LastShown;
    }

    /// <summary>
    /// The value a field name points at ("Slug", "Sources[1].Url"); where the path goes past the request's
    /// properties ("Participations[0].Investor"), the deepest value it reaches; the whole form for "".
    /// </summary>
    private static JsonNode? At(JsonNode? node, string field)
    {
        if (field.Length == 0)
        {
            return node;
        }
        foreach (var part in field.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            if (node is not JsonObject o || !o.TryGetPropertyValue(name, out var child))
            {
                return node;
            }
            node = child;
            if (bracket >= 0 && int.TryParse(part[(bracket + 1)..^1], out var index))
            {
                if (node is not JsonArray a || index >= a.Count)
                {
                    return node;
                }
                node = a[index];
            }
        }
        return node;
    }
}
