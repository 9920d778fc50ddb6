using System.Security.Cryptography;

namespace SupplyChainMesh.Oci;

/// <summary>Content digests (<c>sha256:hex</c>) as the OCI spec writes them.</summary>
public static class Digests
{
    public static string Sha256(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(content, hash);
        return "sha256:" + Convert.ToHexStringLower(hash);
    }

    /// <summary>A hash for the digest's algorithm; sha256 and sha512 are the registered ones.</summary>
    public static IncrementalHash CreateHash(string digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        if (digest.StartsWith("sha256:", StringComparison.Ordinal)) return IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (digest.StartsWith("sha512:", StringComparison.Ordinal)) return IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        throw new NotSupportedException($"Unsupported digest algorithm in '{digest}' (sha256 and sha512 are supported).");
    }

    public static string Format(string expectedDigest, ReadOnlySpan<byte> hash) =>
        expectedDigest[..(expectedDigest.IndexOf(':', StringComparison.Ordinal) + 1)] + Convert.ToHexStringLower(hash);

    /// <summary>The digest of <paramref name="content"/> computed with <paramref name="expectedDigest"/>'s algorithm.</summary>
    public static string Compute(string expectedDigest, ReadOnlySpan<byte> content)
    {
        using var hash = CreateHash(expectedDigest);
        hash.AppendData(content);
        return Format(expectedDigest, hash.GetCurrentHash());
    }
}
