using System.Reflection;
using AiLandscape.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace AiLandscape.Web.Features.Accounts;

/// <summary>
/// Refuses passwords on a bundled list of common and breached passwords (CommonPasswords/README.md), also with
/// digits and symbols added at the end. Length is Identity's rule (12); there are no composition rules, as NIST
/// SP 800-63B and OWASP ASVS advise.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<AppUser>
{
    public const string Message = "This password is on a list of common or breached passwords. Choose another: a few unrelated words make a good one.";
    private static readonly Lazy<HashSet<string>> Common = new(Load);

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(password is not null && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError { Code = "CommonPassword", Description = Message })
            : IdentityResult.Success);

    public static bool IsCommon(string password)
    {
        var lower = password.Trim().ToLowerInvariant();
        var stem = lower.TrimEnd("0123456789!@#$%^&*()-_=+.,;:?~ ".ToCharArray());
        return Common.Value.Contains(lower) || (stem.Length >= 4 && Common.Value.Contains(stem));
    }

    private static HashSet<string> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("CommonPasswords.passwords.txt", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(line.ToLowerInvariant());
            }
        }
        return set;
    }
}
