using System.Buffers;
using System.Security.Cryptography;
using SupplyChainMesh.Analysis.Advisories;

namespace SupplyChainMesh.Analysis.Osv;

/// <summary>One line of a JSON-lines feed: the SHA-256 of its raw bytes, whether that hash was already stored (then the
/// line was not parsed), and otherwise what it parsed to (null for a malformed line, which is reported).</summary>
public readonly record struct RawLine(byte[] Hash, bool Known, Advisory? Advisory)
{
    /// <summary>The SHA-256 of a line as read (no copy unless the line spans buffer segments).</summary>
    public static byte[] HashOf(in ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment) return SHA256.HashData(line.FirstSpan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var segment in line) hash.AppendData(segment.Span);
        return hash.GetHashAndReset();
    }
}
