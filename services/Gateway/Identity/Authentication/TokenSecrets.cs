using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SupplyChainMesh.Gateway.Identity.Authentication;

/// <summary>API and refresh token secrets: <c>scm_</c> followed by 256 random bits in base64url. The prefix lets the
/// gateway tell its own tokens from IdP JWTs at a glance, and secret scanners recognise a leaked one.</summary>
public static class TokenSecrets
{
    public const string Prefix = "scm_";
    private const int SecretLength = 4 + 43;

    public static string NewSecret() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static bool LooksLikeSecret(ReadOnlySpan<char> value) =>
        value.Length == SecretLength && value.StartsWith(Prefix, StringComparison.Ordinal);

    public static byte[] Hash(ReadOnlySpan<char> secret)
    {
        Span<byte> utf8 = stackalloc byte[SecretLength * 3];
        var n = Encoding.UTF8.GetBytes(secret[..Math.Min(secret.Length, SecretLength)], utf8);
        return SHA256.HashData(utf8[..n]);
    }

    /// <summary>What may be shown of a secret later: enough to recognise it, too little to use it.</summary>
    public static string DisplayPrefix(string secret) => secret[..Math.Min(secret.Length, Prefix.Length + 6)];
}
