using Microsoft.AspNetCore.Components;

namespace AiLandscape.Web.Components.Shared;

/// <summary>
/// Keeps a list page's view in the address bar (a replace navigation per change) and tells the page's own URL writes,
/// when the browser confirms them, from navigation from outside (a link, back, a reload). Over a slow link the
/// confirmation of an older view arrives after the user has typed on: it must not take the page back to that view.
/// </summary>
public sealed class UrlInStep(NavigationManager nav)
{
    private readonly List<string> _written = [];

    /// <summary>Shows the page at <paramref name="path"/> with these query parameters in the address bar, replacing the
    /// current history entry (a null value leaves its parameter out).</summary>
    public void Write(string path, IReadOnlyDictionary<string, object?> parameters)
    {
        var target = nav.GetUriWithQueryParameters(nav.ToAbsoluteUri(path).ToString(), parameters);
        if (target == nav.Uri)
        {
            return;
        }
        _written.Add(target);
        if (_written.Count > 20)
        {
            _written.RemoveAt(0);
        }
        nav.NavigateTo(target, replace: true);
    }

    /// <summary>
    /// Whether the current URL is one this page wrote (then it and every older write are confirmed): the page
    /// already shows that view or a newer one. False means the URL came from outside: show its view.
    /// </summary>
    public bool IsOwnWrite()
    {
        var at = _written.IndexOf(nav.Uri);
        if (at < 0)
        {
            return false;
        }
        _written.RemoveRange(0, at + 1);
        return true;
    }
}
