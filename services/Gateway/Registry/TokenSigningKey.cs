using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace SupplyChainMesh.Gateway.Registry;

/// <summary>
/// The key that signs registry tokens (and forwarded identities) and its certificate chain. The registry trusts a
/// token whose <c>x5c</c> chain ends in its <c>rootcertbundle</c>, so the chain travels in every token header.
/// </summary>
public sealed class TokenSigningKey : IDisposable
{
    private readonly AsymmetricAlgorithm _key;

    public TokenSigningKey(AsymmetricAlgorithm key, IReadOnlyList<X509Certificate2> chain)
    {
        if (chain.Count == 0) throw new ArgumentException("The signing certificate chain is empty.", nameof(chain));
        _key = key;
        Chain = chain;
        X5c = chain.Select(c => Convert.ToBase64String(c.RawData)).ToArray();
        (SecurityKey, Algorithm) = key switch
        {
            RSA rsa => ((SecurityKey)new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256),
            ECDsa ec => (new ECDsaSecurityKey(ec), SecurityAlgorithms.EcdsaSha256),
            _ => throw new NotSupportedException($"Signing keys of type {key.GetType().Name} are not supported (RSA or EC P-256)."),
        };
        if (!MatchesCertificate(key, chain[0]))
            throw new InvalidOperationException("The signing key does not belong to the first certificate of the chain.");
        // The registry finds the key through x5c; a kid is still useful to other verifiers (our services).
        SecurityKey.KeyId = Convert.ToHexStringLower(chain[0].GetCertHash(HashAlgorithmName.SHA256))[..16];
        // A provider cache of its own: the default one is process-wide and keyed by the key material, so another
        // instance of the same key (loaded and disposed elsewhere in the process) would hand us its disposed signer.
        SecurityKey.CryptoProviderFactory = new CryptoProviderFactory();
        Credentials = new SigningCredentials(SecurityKey, Algorithm);
    }

    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>The JWS signature of <paramref name="data"/> (RS256: PKCS#1 v1.5; ES256: IEEE P1363 r||s, as JWS wants).</summary>
    public bool TrySign(ReadOnlySpan<byte> data, Span<byte> destination, out int written) => _key switch
    {
        RSA rsa => rsa.TrySignData(data, destination, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, out written),
        ECDsa ec => ec.TrySignData(data, destination, HashAlgorithmName.SHA256, out written),
        _ => throw new NotSupportedException(),
    };

    /// <summary>Upper bound of a signature's length in bytes.</summary>
    public int MaxSignatureBytes => _key.KeySize / 8 * 2 + 16;
    public string[] X5c { get; }
    public SecurityKey SecurityKey { get; }
    public string Algorithm { get; }
    public SigningCredentials Credentials { get; }

    /// <summary>Reads a PEM private key (PKCS#8, PKCS#1 or SEC1) and a PEM certificate chain, leaf first.</summary>
    public static TokenSigningKey FromPemFiles(string keyPath, string certificatePath)
    {
        var keyPem = File.ReadAllText(keyPath);
        AsymmetricAlgorithm key = keyPem.Contains("EC PRIVATE KEY", StringComparison.Ordinal) || IsEcPkcs8(keyPem)
            ? ECDsa.Create()
            : RSA.Create();
        switch (key)
        {
            case RSA rsa: rsa.ImportFromPem(keyPem); break;
            case ECDsa ec: ec.ImportFromPem(keyPem); break;
        }
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(certificatePath);
        return new TokenSigningKey(key, [.. chain]);
    }

    /// <summary>A fresh RSA key and a self-signed certificate: for a development gateway without configured files
    /// (the registry cannot trust it, services cannot verify it unless handed the certificate).</summary>
    public static TokenSigningKey CreateEphemeral(string subject = "CN=scm-gateway-ephemeral")
    {
        var rsa = RSA.Create(2048);
        return new TokenSigningKey(rsa, [CreateSelfSigned(rsa, subject, TimeSpan.FromDays(365))]);
    }

    /// <summary>A self-signed CA-capable certificate, as <c>openssl req -x509</c> makes (the registry accepts it as a root).</summary>
    public static X509Certificate2 CreateSelfSigned(RSA key, string subject, TimeSpan validity)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.Add(validity));
    }

    public void Dispose()
    {
        _key.Dispose();
        foreach (var c in Chain) c.Dispose();
    }

    private static bool IsEcPkcs8(string pem)
    {
        if (!pem.Contains("BEGIN PRIVATE KEY", StringComparison.Ordinal)) return false;
        using var probe = ECDsa.Create();
        try
        {
            probe.ImportFromPem(pem);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool MatchesCertificate(AsymmetricAlgorithm key, X509Certificate2 certificate) => key switch
    {
        RSA rsa => certificate.GetRSAPublicKey()?.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(rsa.ExportSubjectPublicKeyInfo()) == true,
        ECDsa ec => certificate.GetECDsaPublicKey()?.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(ec.ExportSubjectPublicKeyInfo()) == true,
        _ => false,
    };
}
