namespace AiLandscape.Web.Features.Accounts;

/// <summary>Return URLs come from the query string: only paths on this site are followed (no open redirects).</summary>
public static class LocalUrl
{
    /// <summary>Same rules as ASP.NET Core's IUrlHelper.IsLocalUrl: "/path", not "//host" or "/\host".</summary>
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/')
        {
            return false;
        }
        if (url.Length == 1)
        {
            return true;
        }
        if (url[1] is '/' or '\\')
        {
            return false;
        }
        // Control characters could be read as a scheme or host separator by a browser.
        return !url.Any(char.IsControl);
    }

    public static string OrHome(string? url) => IsLocal(url) ? url! : "/";

    /// <summary>The login page's address that brings the user back to <paramref name="returnPath"/>.</summary>
    public static string Login(string? returnPath) =>
        IsLocal(returnPath) && returnPath != "/" && !returnPath!.StartsWith(AccountsSetup.LoginPath, StringComparison.OrdinalIgnoreCase)
            ? $"{AccountsSetup.LoginPath}?returnUrl={Uri.EscapeDataString(returnPath!)}"
            : AccountsSetup.LoginPath;
}
