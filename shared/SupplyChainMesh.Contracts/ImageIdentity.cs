using System.Security.Cryptography;
using System.Text;

namespace SupplyChainMesh.Contracts;

/// <summary>
/// Which image a message is about: the registry (host[:port]), repository, the tag it was pushed or promoted under
/// (null when addressed by digest only) and the manifest digest. The digest is the identity; the tag is context.
/// </summary>
public sealed record ImageIdentity(string Registry, string Repository, string? Tag, string Digest)
{
    /// <summary>The scan saga's correlation id: one saga per (registry, repository, digest), whatever the tag.</summary>
    public Guid ScanId => DeterministicId.For("image-scan", $"{Registry}/{Repository}@{Digest}");

    public override string ToString() =>
        Tag is null ? $"{Registry}/{Repository}@{Digest}" : $"{Registry}/{Repository}:{Tag}@{Digest}";
}

/// <summary>Name-based UUIDs (RFC 9562 version 5): the same name always gives the same id, so sagas correlate
/// on natural keys and a duplicated first event finds the instance its twin created.</summary>
public static class DeterministicId
{
    public static Guid For(string kind, string name)
    {
        // RFC 9562 defines version 5 on SHA-1; it names ids here, it does not protect anything.
#pragma warning disable CA5350
        var bytes = SHA1.HashData(Encoding.UTF8.GetBytes($"supplychainmesh:{kind}:{name}"));
#pragma warning restore CA5350
        var guid = new byte[16];
        Array.Copy(bytes, guid, 16);
        guid[6] = (byte)((guid[6] & 0x0F) | 0x50);
        guid[8] = (byte)((guid[8] & 0x3F) | 0x80);
        return new Guid(guid, bigEndian: true);
    }
}
