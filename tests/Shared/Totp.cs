using System.Security.Cryptography;

namespace AiLandscape.TestSupport;

/// <summary>
/// The 6-digit code an authenticator app shows (RFC 6238: HMAC-SHA1, 30-second steps), computed from a Base32 key,
/// so tests can sign in with two-factor like a person with a phone.
/// </summary>
public static class Totp
{
    /// <summary>The demo admin's key: Seed:DemoAuthenticatorKey in appsettings.Development.json.</summary>
    public const string DemoAdminKey = "AILANDSCAPEDEMOADMINKEY234567ABC";

    public const string DemoAdminEmail = "admin@example.com";

    public static string Code(string base32Key, DateTimeOffset? at = null, int stepOffset = 0)
    {
        var step = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / 30 + stepOffset;
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }
        var hash = HMACSHA1.HashData(FromBase32(base32Key), counter);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static readonly Dictionary<string, long> LastStepUsed = [];

    /// <summary>
    /// A code the server has not seen yet for this key, as a person would type the next code their app shows: the
    /// server accepts each 30-second step once (OneTimeAuthenticatorTokenProvider). Takes the current step, or the next
    /// one when the current is used; waits when both are.
    /// </summary>
    public static async Task<string> FreshCodeAsync(string base32Key)
    {
        while (true)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
            lock (LastStepUsed)
            {
                var step = Math.Max(now, LastStepUsed.GetValueOrDefault(base32Key, long.MinValue) + 1);
                if (step <= now + 1)
                {
                    LastStepUsed[base32Key] = step;
                    return Code(base32Key, DateTimeOffset.FromUnixTimeSeconds(step * 30));
                }
            }
            await Task.Delay(1000);
        }
    }

    /// <summary>A code that is certainly wrong now (not one of the steps Identity accepts around the current one).</summary>
    public static string WrongCode(string base32Key)
    {
        var accepted = Enumerable.Range(-3, 7).Select(i => Code(base32Key, stepOffset: i)).ToHashSet();
        for (var n = 0; ; n++)
        {
            var candidate = n.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            if (!accepted.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    private static byte[] FromBase32(string input)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = input.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. output];
    }
}
