using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using SupplyChainMesh.Analysis.Layers;

namespace SupplyChainMesh.Analysis.Tests.Layers;

/// <summary>Builds small layer blobs in memory: tar entries, then gzip or zstd.</summary>
internal sealed class TestLayer
{
    private readonly MemoryStream _tar = new();
    private readonly TarWriter _writer;

    public TestLayer() => _writer = new TarWriter(_tar, TarEntryFormat.Pax, leaveOpen: true);

    public TestLayer File(string name, string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
        => File(name, Encoding.UTF8.GetBytes(content), mode);

    public TestLayer File(string name, byte[] content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content), Mode = mode };
        _writer.WriteEntry(entry);
        return this;
    }

    public TestLayer Directory(string name)
    {
        _writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name));
        return this;
    }

    public TestLayer Symlink(string name, string target)
    {
        _writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
        return this;
    }

    public TestLayer HardLink(string name, string target)
    {
        _writer.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target });
        return this;
    }

    public TestLayer Whiteout(string path)
    {
        var slash = path.LastIndexOf('/');
        return File(slash < 0 ? ".wh." + path : path[..(slash + 1)] + ".wh." + path[(slash + 1)..], "");
    }

    public TestLayer Opaque(string directory) => File(directory.TrimEnd('/') + "/.wh..wh..opq", "");

    /// <summary>The plain tar, with its end-of-archive marker.</summary>
    public byte[] Tar()
    {
        _writer.Dispose();
        return _tar.ToArray();
    }

    public byte[] Gzip() => Compress(Tar());

    public byte[] Zstd()
    {
        var output = new MemoryStream();
        using (var zstd = new ZstdSharp.CompressionStream(output, 3, leaveOpen: true)) zstd.Write(Tar());
        return output.ToArray();
    }

    public static byte[] Compress(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    public static LayerSource Source(byte[] blob, string digest = "sha256:test") =>
        new(digest, "application/vnd.oci.image.layer.v1.tar+gzip", blob.Length,
            _ => ValueTask.FromResult<Stream>(new MemoryStream(blob, writable: false)));
}
