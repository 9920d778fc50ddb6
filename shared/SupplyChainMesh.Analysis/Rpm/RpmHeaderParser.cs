using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace SupplyChainMesh.Analysis.Rpm;

/// <summary>
/// Parses an rpm header blob as the package databases store it: a big-endian index count <c>il</c> and data length
/// <c>dl</c>, <c>il</c> 16-byte index entries (tag, type, offset into the data store, count), then <c>dl</c> bytes of
/// data. Only the tags in <see cref="RpmTag"/> are decoded.
/// </summary>
/// <remarks>
/// The blob is untrusted: every count and offset is checked against the blob before use, with 64-bit arithmetic, and
/// loops are bounded by the blob's size, so a hostile header yields an error message, never an exception or a hang.
/// Region entries (tags 61-63, whose data is a trailer entry) carry nothing we need and are skipped. When a tag occurs
/// twice the later entry wins, as rpm lets "dribble" entries appended after the region replace region entries.
/// </remarks>
public static class RpmHeaderParser
{
    /// <summary>rpm's own limits (<c>hdrchkTags</c>/<c>hdrchkData</c> in header.c).</summary>
    public const int MaxIndexEntries = 0xFFFF;
    public const int MaxDataLength = 0x0FFF_FFFF;

    private const int EntrySize = 16;
    private static ReadOnlySpan<byte> HeaderMagic => [0x8E, 0xAD, 0xE8];

    /// <summary>Parses <paramref name="blob"/>; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> blob,
        bool includeFiles,
        [NotNullWhen(true)] out RpmHeader? header,
        [NotNullWhen(false)] out string? error)
    {
        header = null;
        // A header as written to a file (.rpm, rpm -qa --dump) starts with an 8-byte magic; databases omit it.
        if (blob.Length >= 8 && blob.StartsWith(HeaderMagic)) blob = blob[8..];
        if (blob.Length < 8)
        {
            error = $"header blob of {blob.Length} bytes is shorter than its 8-byte preamble";
            return false;
        }

        var indexCount = BinaryPrimitives.ReadInt32BigEndian(blob);
        var dataLength = BinaryPrimitives.ReadInt32BigEndian(blob[4..]);
        if (indexCount is < 1 or > MaxIndexEntries)
        {
            error = $"header has {indexCount} index entries (allowed 1 to {MaxIndexEntries})";
            return false;
        }
        if (dataLength is < 0 or > MaxDataLength)
        {
            error = $"header data store of {dataLength} bytes is out of range";
            return false;
        }
        var needed = 8L + ((long)indexCount * EntrySize) + dataLength;
        if (needed > blob.Length)
        {
            error = $"header needs {needed} bytes for {indexCount} entries and {dataLength} data bytes but the blob has {blob.Length}";
            return false;
        }

        var index = blob.Slice(8, indexCount * EntrySize);
        var data = blob.Slice(8 + (indexCount * EntrySize), dataLength);
        var entries = new Entries();
        for (var i = 0; i < indexCount; i++)
        {
            var entry = index.Slice(i * EntrySize, EntrySize);
            var tag = BinaryPrimitives.ReadInt32BigEndian(entry);
            var type = BinaryPrimitives.ReadUInt32BigEndian(entry[4..]);
            var offset = BinaryPrimitives.ReadInt32BigEndian(entry[8..]);
            var count = BinaryPrimitives.ReadUInt32BigEndian(entry[12..]);
            if (tag is RpmTag.HeaderImage or RpmTag.HeaderSignatures or RpmTag.HeaderImmutable) continue;
            if (type > RpmTag.TypeMax)
            {
                error = $"index entry {i} (tag {tag}) has unknown type {type}";
                return false;
            }
            if (offset < 0 || offset > dataLength || (offset == dataLength && count > 0 && type != 0))
            {
                error = $"index entry {i} (tag {tag}) points at offset {offset} outside the {dataLength}-byte data store";
                return false;
            }
            entries.Set(tag, new Entry(type, offset, count));
        }

        if (!TryString(data, entries.Name, RpmTag.Name, out var name, out error)
            || !TryString(data, entries.Version, RpmTag.Version, out var version, out error)
            || !TryString(data, entries.Release, RpmTag.Release, out var release, out error))
        {
            return false;
        }
        if (name is null || version is null || release is null)
        {
            error = $"header has no {(name is null ? "NAME" : version is null ? "VERSION" : "RELEASE")}";
            return false;
        }
        if (!TryString(data, entries.Arch, RpmTag.Arch, out var arch, out error)
            || !TryString(data, entries.License, RpmTag.License, out var license, out error)
            || !TryString(data, entries.SourceRpm, RpmTag.SourceRpm, out var sourceRpm, out error)
            || !TryInt32(data, entries.Epoch, RpmTag.Epoch, out var epoch, out error))
        {
            return false;
        }

        IReadOnlyList<string> files = [];
        string? fileProblem = null;
        if (includeFiles && !TryFiles(data, entries, out files, out fileProblem)) files = [];

        header = new RpmHeader(name, epoch, version, release, arch, license, sourceRpm, files, fileProblem);
        error = null;
        return true;
    }

    private readonly record struct Entry(uint Type, int Offset, uint Count)
    {
        public bool Present => Count > 0;
    }

    private struct Entries
    {
        public Entry Name, Version, Release, Epoch, License, Arch, SourceRpm, OldFileNames, DirIndexes, BaseNames, DirNames;

        public void Set(int tag, Entry entry)
        {
            switch (tag)
            {
                case RpmTag.Name: Name = entry; break;
                case RpmTag.Version: Version = entry; break;
                case RpmTag.Release: Release = entry; break;
                case RpmTag.Epoch: Epoch = entry; break;
                case RpmTag.License: License = entry; break;
                case RpmTag.Arch: Arch = entry; break;
                case RpmTag.SourceRpm: SourceRpm = entry; break;
                case RpmTag.OldFileNames: OldFileNames = entry; break;
                case RpmTag.DirIndexes: DirIndexes = entry; break;
                case RpmTag.BaseNames: BaseNames = entry; break;
                case RpmTag.DirNames: DirNames = entry; break;
                default: break;
            }
        }
    }

    /// <summary>A string-valued tag; absent gives null. The first element of an array or i18n string is taken.</summary>
    private static bool TryString(ReadOnlySpan<byte> data, Entry entry, int tag, out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (!entry.Present) return true;
        if (entry.Type is not (RpmTag.TypeString or RpmTag.TypeStringArray or RpmTag.TypeI18nString))
        {
            error = $"tag {tag} has type {entry.Type}, not a string";
            return false;
        }
        var rest = data[entry.Offset..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            error = $"tag {tag} string runs past the end of the data store";
            return false;
        }
        value = Encoding.UTF8.GetString(rest[..end]);
        return true;
    }

    private static bool TryInt32(ReadOnlySpan<byte> data, Entry entry, int tag, out int? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (!entry.Present) return true;
        if (entry.Type != RpmTag.TypeInt32 || entry.Offset + 4L > data.Length)
        {
            error = $"tag {tag} is not a 32-bit integer inside the data store";
            return false;
        }
        value = BinaryPrimitives.ReadInt32BigEndian(data[entry.Offset..]);
        return true;
    }

    private static bool TryFiles(ReadOnlySpan<byte> data, in Entries entries, out IReadOnlyList<string> files, out string? problem)
    {
        files = [];
        problem = null;
        if (entries.BaseNames.Present)
        {
            var count = entries.BaseNames.Count;
            if (entries.BaseNames.Type != RpmTag.TypeStringArray || entries.DirNames.Type != RpmTag.TypeStringArray
                || entries.DirIndexes.Type != RpmTag.TypeInt32 || entries.DirIndexes.Count != count)
            {
                problem = string.Create(CultureInfo.InvariantCulture,
                    $"file list is inconsistent: {count} BASENAMES, {entries.DirIndexes.Count} DIRINDEXES");
                return false;
            }
            // Each string takes at least one byte and each index four: counts beyond that cannot be real.
            if (count > data.Length - entries.BaseNames.Offset || entries.DirIndexes.Offset + (4L * count) > data.Length
                || entries.DirNames.Count > data.Length - entries.DirNames.Offset)
            {
                problem = "file list counts run past the end of the data store";
                return false;
            }

            var dirNames = new string[entries.DirNames.Count];
            var dirData = data[entries.DirNames.Offset..];
            for (var d = 0; d < dirNames.Length; d++)
            {
                var end = dirData.IndexOf((byte)0);
                if (end < 0)
                {
                    problem = "DIRNAMES run past the end of the data store";
                    return false;
                }
                var dir = Encoding.UTF8.GetString(dirData[..end]).TrimStart('/');
                dirNames[d] = dir.Length == 0 || dir.EndsWith('/') ? dir : dir + "/";
                dirData = dirData[(end + 1)..];
            }

            var result = new string[count];
            var baseData = data[entries.BaseNames.Offset..];
            var indexData = data[entries.DirIndexes.Offset..];
            for (var f = 0; f < result.Length; f++)
            {
                var end = baseData.IndexOf((byte)0);
                if (end < 0)
                {
                    problem = "BASENAMES run past the end of the data store";
                    return false;
                }
                var dirIndex = BinaryPrimitives.ReadInt32BigEndian(indexData[(f * 4)..]);
                if ((uint)dirIndex >= (uint)dirNames.Length)
                {
                    problem = string.Create(CultureInfo.InvariantCulture, $"file {f} has directory index {dirIndex} of {dirNames.Length}");
                    return false;
                }
                result[f] = Join(dirNames[dirIndex], baseData[..end]);
                baseData = baseData[(end + 1)..];
            }
            files = result;
            return true;
        }

        if (entries.OldFileNames.Present)
        {
            // Headers of rpm < 4.1 list whole paths.
            if (entries.OldFileNames.Type != RpmTag.TypeStringArray || entries.OldFileNames.Count > data.Length - entries.OldFileNames.Offset)
            {
                problem = "OLDFILENAMES is not a string array inside the data store";
                return false;
            }
            var result = new string[entries.OldFileNames.Count];
            var rest = data[entries.OldFileNames.Offset..];
            for (var f = 0; f < result.Length; f++)
            {
                var end = rest.IndexOf((byte)0);
                if (end < 0)
                {
                    problem = "OLDFILENAMES run past the end of the data store";
                    return false;
                }
                result[f] = Encoding.UTF8.GetString(rest[..end]).TrimStart('/');
                rest = rest[(end + 1)..];
            }
            files = result;
        }
        return true;
    }

    private static string Join(string directory, ReadOnlySpan<byte> baseName)
    {
        var max = directory.Length + Encoding.UTF8.GetMaxCharCount(baseName.Length);
        Span<char> buffer = max <= 512 ? stackalloc char[512] : new char[max];
        directory.AsSpan().CopyTo(buffer);
        var written = Encoding.UTF8.GetChars(baseName, buffer[directory.Length..]);
        return new string(buffer[..(directory.Length + written)]);
    }
}
