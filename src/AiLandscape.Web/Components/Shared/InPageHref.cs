using Microsoft.AspNetCore.Components;

namespace AiLandscape.Web.Components.Shared;

/// <summary>
/// The href of an element on the current page that still works under the app's base href: the current path and
/// query relative to the base, then "#id". A bare "#id" resolves against &lt;base href="/"&gt; to "/#id", the home page.
/// Use it for every in-page anchor (citation markers in SourceLinks, table-of-contents links).
/// </summary>
public static class InPageHref
{
    public static string For(NavigationManager navigation, string target)
    {
        var relative = navigation.ToBaseRelativePath(navigation.Uri);
        var hash = relative.IndexOf('#');
        if (hash >= 0)
        {
            relative = relative[..hash];
        }
        return relative + "#" + Uri.EscapeDataString(target);
    }
}
