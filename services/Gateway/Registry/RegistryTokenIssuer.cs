using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Gateway.Identity;

namespace SupplyChainMesh.Gateway.Registry;

/// <summary>
/// Mints the JWT the Distribution registry verifies (docker registry token authentication spec): <c>iss</c>,
/// <c>sub</c>, <c>aud</c> = the registry's service name, short <c>exp</c>, a unique <c>jti</c>, and the granted
/// <c>access</c> list; signed with the service key, its certificate chain in <c>x5c</c>.
/// Written by hand rather than through a JWT library because it is the token service's hot path (p99 budget 5 ms):
/// the header (with its kilobyte-long <c>x5c</c>) is encoded once per key, the claims go straight into one buffer, and
/// the only real cost left is the signature. A token minted for the same subject and the same granted access less than
/// <see cref="TokenSigningOptions.ReuseWindow"/> ago is handed out again (with what is left of its lifetime), so a burst
/// of identical requests (replicas of one robot, a client without a token cache) costs one signature; the caller's
/// credentials and grants are still checked on every request before this.
/// </summary>
public sealed class RegistryTokenIssuer
{
    private const int MaxReusable = 10_000;
    // Base64 certificates hold '+' and '/': written as they are, not as \u002B (both are valid JSON; this is shorter).
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly TokenSigningKey _key;
    private readonly TokenSigningOptions _options;
    private readonly TimeProvider _clock;
    private readonly byte[] _encodedHeader;
    private readonly ConcurrentDictionary<string, IssuedToken> _recent = new(StringComparer.Ordinal);

    public RegistryTokenIssuer(TokenSigningKey key, IOptions<IdentityOptions> options, TimeProvider clock)
    {
        _key = key;
        _options = options.Value.TokenSigning;
        _clock = clock;
        var header = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(header, Relaxed))
        {
            json.WriteStartObject();
            json.WriteString("alg", key.Algorithm);
            json.WriteString("kid", key.SecurityKey.KeyId);
            json.WriteString("typ", "JWT");
            json.WriteStartArray("x5c");
            foreach (var certificate in key.X5c) json.WriteStringValue(certificate);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        _encodedHeader = new byte[Base64Url.GetEncodedLength(header.WrittenCount)];
        Base64Url.EncodeToUtf8(header.WrittenSpan, _encodedHeader);
    }

    public sealed record IssuedToken(string Token, DateTimeOffset IssuedAt, int ExpiresIn);

    /// <summary>A token for <paramref name="access"/>, fresh or reused from the last <see cref="TokenSigningOptions.ReuseWindow"/>
    /// (then <see cref="IssuedToken.ExpiresIn"/> counts what is left of it).</summary>
    public IssuedToken Issue(string subject, IReadOnlyList<RegistryScope> access)
    {
        var now = _clock.GetUtcNow();
        var window = _options.ReuseWindow;
        if (window <= TimeSpan.Zero) return Issue(subject, access, now, _options.TokenLifetime);
        var key = ReuseKey(subject, access);
        if (_recent.TryGetValue(key, out var recent) && now - recent.IssuedAt is var age && age >= TimeSpan.Zero && age < window)
            return recent with { ExpiresIn = recent.ExpiresIn - (int)Math.Ceiling(age.TotalSeconds) };
        var issued = Issue(subject, access, now, _options.TokenLifetime);
        if (_recent.Count >= MaxReusable) _recent.Clear();
        _recent[key] = issued;
        return issued;
    }

    /// <summary>Mints with an explicit issue time and lifetime (tests use it to mint an already-expired token).</summary>
    public IssuedToken Issue(string subject, IReadOnlyList<RegistryScope> access, DateTimeOffset issuedAt, TimeSpan lifetime)
    {
        var claims = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(claims, Relaxed))
        {
            var iat = issuedAt.ToUnixTimeSeconds();
            json.WriteStartObject();
            json.WriteString("iss", _options.Issuer);
            json.WriteString("sub", subject);
            json.WriteString("aud", _options.Service);
            json.WriteNumber("exp", iat + (long)lifetime.TotalSeconds);
            json.WriteNumber("nbf", iat);
            json.WriteNumber("iat", iat);
            Span<byte> jti = stackalloc byte[16];
            RandomNumberGenerator.Fill(jti);
            json.WriteString("jti", Convert.ToHexStringLower(jti));
            json.WriteStartArray("access");
            foreach (var scope in access)
            {
                json.WriteStartObject();
                json.WriteString("type", scope.Type);
                json.WriteString("name", scope.Name);
                json.WriteStartArray("actions");
                foreach (var action in scope.Actions) json.WriteStringValue(action);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }

        // header.claims.signature, base64url without padding; the first two parts are what gets signed.
        var claimsLength = Base64Url.GetEncodedLength(claims.WrittenCount);
        var signatureMax = Base64Url.GetEncodedLength(_key.MaxSignatureBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(_encodedHeader.Length + 1 + claimsLength + 1 + signatureMax);
        try
        {
            _encodedHeader.CopyTo(buffer, 0);
            var at = _encodedHeader.Length;
            buffer[at++] = (byte)'.';
            at += Base64Url.EncodeToUtf8(claims.WrittenSpan, buffer.AsSpan(at));
            Span<byte> signature = stackalloc byte[_key.MaxSignatureBytes];
            if (!_key.TrySign(buffer.AsSpan(0, at), signature, out var signed))
                throw new CryptographicException("The token signature did not fit its buffer.");
            buffer[at++] = (byte)'.';
            at += Base64Url.EncodeToUtf8(signature[..signed], buffer.AsSpan(at));
            return new IssuedToken(System.Text.Encoding.ASCII.GetString(buffer, 0, at), issuedAt, (int)lifetime.TotalSeconds);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string ReuseKey(string subject, IReadOnlyList<RegistryScope> access)
    {
        var key = new System.Text.StringBuilder(subject.Length + 64 * access.Count).Append(subject);
        foreach (var scope in access) key.Append('\n').Append(scope.ToString());
        return key.ToString();
    }
}
