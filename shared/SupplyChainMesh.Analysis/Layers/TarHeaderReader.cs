using System.Buffers;
using System.Formats.Tar;
using static SupplyChainMesh.Analysis.Layers.TarFields;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// Walks a tar one entry at a time over the layer's read-ahead buffer, with no per-entry objects: each 512-byte header
/// is parsed from one pooled block, names are the only strings made, and the data of an entry nobody reads is passed
/// over without being copied (by seeking when the tar is a plain file). Knows ustar, pax ('x' records path, linkpath
/// and size; 'g' validated and returned as an entry, not applied, as System.Formats.Tar and Go's archive/tar do), GNU
/// long names and links ('L', 'K') and base-256 numbers; refuses GNU sparse files ('S').
/// <para>
/// Malformed input throws <see cref="InvalidDataException"/>, data that ends early <see cref="EndOfStreamException"/>;
/// the layer reader turns both into <see cref="LayerFormatException"/>.
/// </para>
/// </summary>
internal sealed class TarHeaderReader : IDisposable
{
    /// <summary>GNU long names and PAX headers larger than this are refused (PATH_MAX is 4096): hostile, not a name.</summary>
    public const int MaxMetadataBytes = 1 << 20;

    private readonly ReadAheadStream _stream;
    private byte[]? _block = ArrayPool<byte>.Shared.Rent(BlockSize);
    private EntryContentStream? _data;
    private long _unread;
    private int _padding;

    public TarHeaderReader(ReadAheadStream stream) => _stream = stream;

    /// <summary>The current entry's name as written (not normalised).</summary>
    public string Name { get; private set; } = "";

    /// <summary>The link target of a hard or symbolic link ("" otherwise).</summary>
    public string LinkName { get; private set; } = "";

    public TarEntryType EntryType { get; private set; }

    /// <summary>The size of the entry's data.</summary>
    public long Length { get; private set; }

    /// <summary>The permission bits (07777).</summary>
    public int Mode { get; private set; }

    /// <summary>
    /// Moves past what is left of the current entry's data to the next entry. False at the end-of-archive marker.
    /// </summary>
    public bool MoveNext()
    {
        SkipRest();
        string? longName = null, longLink = null, paxPath = null, paxLink = null;
        long? paxSize = null;
        while (true)
        {
            var block = ReadBlock();
            if (IsZeroBlock(block)) return false;
            VerifyChecksum(block);
            var type = (TarEntryType)block[TypeOffset];
            var size = ParseNumber(block.Slice(SizeOffset, SizeLength), "size");
            switch (type)
            {
                case TarEntryType.LongPath:
                    longName = ReadMetadataString(size, "GNU long name");
                    continue;
                case TarEntryType.LongLink:
                    longLink = ReadMetadataString(size, "GNU long link name");
                    continue;
                case TarEntryType.ExtendedAttributes:
                    ReadPax(size, ref paxPath, ref paxLink, ref paxSize);
                    continue;
                case TarEntryType.GlobalExtendedAttributes:
                    // Validated, not applied: a global path or size would rename or resize every later entry.
                    string? globalPath = null, globalLink = null;
                    long? globalSize = null;
                    ReadPax(size, ref globalPath, ref globalLink, ref globalSize);
                    Start(block, type, ReadString(block.Slice(NameOffset, NameLength)), "", 0, dataLength: 0);
                    return true;
                case TarEntryType.SparseFile:
                    throw new InvalidDataException("GNU sparse file entries are not supported");
            }

            var name = paxPath ?? longName ?? HeaderName(block);
            if (type == TarEntryType.V7RegularFile && name.EndsWith('/')) type = TarEntryType.Directory;
            var length = paxSize ?? size;
            var hasData = type is not (TarEntryType.HardLink or TarEntryType.SymbolicLink or TarEntryType.CharacterDevice
                or TarEntryType.BlockDevice or TarEntryType.Directory or TarEntryType.Fifo);
            if (!hasData && length > 0)
                throw new InvalidDataException($"a {type} entry ('{name}') claims {length} bytes of data, which it cannot have");
            var linkName = type is TarEntryType.HardLink or TarEntryType.SymbolicLink
                ? paxLink ?? longLink ?? ReadString(block.Slice(LinkNameOffset, LinkNameLength))
                : "";
            Start(block, type, name, linkName, length, length);
            return true;
        }
    }

    /// <summary>The current entry's data, bounded to it. Whatever the caller leaves unread is passed over by <see cref="MoveNext"/>.</summary>
    public Stream OpenData()
    {
        if (_data is not null) throw new InvalidOperationException("the entry's data is already open");
        return _data = new EntryContentStream(_stream, _unread);
    }

    private void Start(ReadOnlySpan<byte> block, TarEntryType type, string name, string linkName, long length, long dataLength)
    {
        Mode = (int)(ParseNumber(block.Slice(ModeOffset, ModeLength), "mode") & 0xfff);
        EntryType = type;
        Name = name;
        LinkName = linkName;
        Length = length;
        _unread = dataLength;
        _padding = Padding(dataLength);
    }

    /// <summary>ustar joins prefix and name; GNU ("ustar  \0") and v7 headers have no prefix field.</summary>
    private static string HeaderName(ReadOnlySpan<byte> block)
    {
        var name = block.Slice(NameOffset, NameLength);
        var isUstar = block.Slice(MagicOffset, 8).SequenceEqual("ustar\u000000"u8);
        var prefix = block.Slice(PrefixOffset, PrefixLength);
        if (!isUstar || prefix[0] == 0) return ReadString(name);
        var prefixEnd = prefix.IndexOf((byte)0);
        var nameEnd = name.IndexOf((byte)0);
        prefix = prefixEnd < 0 ? prefix : prefix[..prefixEnd];
        name = nameEnd < 0 ? name : name[..nameEnd];
        Span<byte> joined = stackalloc byte[PrefixLength + 1 + NameLength];
        prefix.CopyTo(joined);
        joined[prefix.Length] = (byte)'/';
        name.CopyTo(joined[(prefix.Length + 1)..]);
        return ReadString(joined[..(prefix.Length + 1 + name.Length)]);
    }

    private Span<byte> ReadBlock()
    {
        var block = (_block ?? throw new ObjectDisposedException(nameof(TarHeaderReader))).AsSpan(0, BlockSize);
        var read = _stream.ReadUpTo(block);
        if (read == 0) throw new EndOfStreamException("the tar ends without its end-of-archive marker");
        if (read < BlockSize) throw new EndOfStreamException($"the tar ends inside a header ({read} of {BlockSize} bytes)");
        return block;
    }

    private string ReadMetadataString(long size, string what)
    {
        var buffer = ReadMetadata(size, what);
        try
        {
            return ReadString(buffer.AsSpan(0, (int)size));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ReadPax(long size, ref string? path, ref string? linkPath, ref long? dataSize)
    {
        var buffer = ReadMetadata(size, "PAX extended header");
        try
        {
            ParsePaxRecords(buffer.AsSpan(0, (int)size), ref path, ref linkPath, ref dataSize);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads a metadata entry's data (and its padding) into a rented buffer the caller returns.</summary>
    private byte[] ReadMetadata(long size, string what)
    {
        if (size > MaxMetadataBytes)
            throw new InvalidDataException($"a {what} of {size} bytes is larger than the {MaxMetadataBytes} bytes allowed");
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(size, 1));
        if (_stream.ReadUpTo(buffer.AsSpan(0, (int)size)) < size || !_stream.Skip(Padding(size)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new EndOfStreamException($"the tar ends inside a {what}");
        }
        return buffer;
    }

    /// <summary>Passes over the current entry's unread data and its padding to the next 512-byte boundary.</summary>
    private void SkipRest()
    {
        var rest = _unread - (_data?.Position ?? 0) + _padding;
        _data = null;
        _unread = 0;
        _padding = 0;
        if (rest > 0 && !_stream.Skip(rest)) throw new EndOfStreamException($"the tar ends inside the data of '{Name}'");
    }

    private static int Padding(long size) => (int)((BlockSize - (size % BlockSize)) % BlockSize);

    public void Dispose()
    {
        if (_block is { } block)
        {
            _block = null;
            ArrayPool<byte>.Shared.Return(block);
        }
    }
}
