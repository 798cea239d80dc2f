using System.Collections;
using System.Reflection;

namespace AiLandscape.Web.Features.Editing;

/// <summary>
/// What an API client's JSON may leave out or null that a form never does: a list sent as null means an empty list,
/// and null items in a list (<c>"sources": [null]</c>) are dropped, through nested items too. The request then reaches
/// the same validation as a form's; without this a null list was a server error.
/// </summary>
public static class RequestLists
{
    public static void Normalise(object request)
    {
        foreach (var property in request.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || !property.CanWrite || property.GetIndexParameters().Length > 0
                || !property.PropertyType.IsGenericType || property.PropertyType.GetGenericTypeDefinition() != typeof(List<>))
            {
                continue;
            }
            if (property.GetValue(request) is not IList list)
            {
                property.SetValue(request, Activator.CreateInstance(property.PropertyType));
                continue;
            }
            for (var i = list.Count - 1; i >= 0; i--)
            {
                if (list[i] is null)
                {
                    list.RemoveAt(i);
                }
                else if (list[i] is { } item && item.GetType() is { IsClass: true } type && type != typeof(string))
                {
                    Normalise(item);
                }
            }
        }
    }
}
