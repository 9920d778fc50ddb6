using System.Security.Cryptography;
using System.Text;

namespace SupplyChainMesh.Promoter.Notifications;

/// <summary><c>X-SCM-Signature: sha256=&lt;hex&gt;</c>: HMAC-SHA256 of the exact body bytes with the subscriber's secret,
/// as GitHub signs webhooks; a receiver recomputes it and compares in constant time.</summary>
public static class WebhookSignature
{
    public const string Header = "X-SCM-Signature";
    public const string EventIdHeader = "X-SCM-Event-Id";
    public const string EventKindHeader = "X-SCM-Event";

    public static string Sign(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(header));
}
