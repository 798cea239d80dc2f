using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AiLandscape.Web.Features.Accounts;

/// <summary>
/// Sign-in attempts per client and per account in a fixed window, on top of the account lockout: one client cannot
/// try many accounts, nor many clients one account fast. A client is its IP address; IPv6 clients by their /64,
/// since one host usually holds a whole /64. Counted per instance, like the API's limit.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private const string ClientPrefix = "client:";
    private readonly PartitionedRateLimiter<string> _limiter;

    public LoginThrottle(IOptions<AccountsOptions> options)
    {
        var o = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = key.StartsWith(ClientPrefix, StringComparison.Ordinal) ? o.LoginAttemptsPerClient : o.LoginAttemptsPerAccount,
                Window = o.LoginAttemptWindow,
                QueueLimit = 0,
            }));
    }

    /// <summary>True when this attempt may go ahead; it counts against both the client and the account.</summary>
    public bool TryAttempt(IPAddress? client, string email)
    {
        using var byClient = _limiter.AttemptAcquire(ClientPrefix + ClientKey(client));
        if (!byClient.IsAcquired)
        {
            return false;
        }
        using var byAccount = _limiter.AttemptAcquire("account:" + email.Trim().ToUpperInvariant());
        return byAccount.IsAcquired;
    }

    /// <summary>IPv4 as is; IPv6 by its /64 network.</summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public void Dispose() => _limiter.Dispose();
}
