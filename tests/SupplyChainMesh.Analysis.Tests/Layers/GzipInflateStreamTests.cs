using System.IO.Compression;
using SupplyChainMesh.Analysis.Layers;

namespace SupplyChainMesh.Analysis.Tests.Layers;

public sealed class GzipInflateStreamTests
{
    private static byte[] Data(int length, int seed = 7)
    {
        // Compressible but not trivial: text-like runs with random bytes mixed in.
        var random = new Random(seed);
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[i] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)('a' + i % 23);
        return bytes;
    }

    private static byte[] Inflate(byte[] gzip, int chunk = 65536, int inputSize = GzipInflateStream.DefaultInputSize)
    {
        using var inflate = new GzipInflateStream(new MemoryStream(gzip), inputSize: inputSize);
        var output = new MemoryStream();
        var buffer = new byte[chunk];
        int n;
        while ((n = inflate.Read(buffer)) > 0) output.Write(buffer, 0, n);
        return output.ToArray();
    }

    [Fact]
    public void The_runtimes_zlib_is_bound()
    {
        Assert.True(ZlibNative.IsAvailable);
    }

    [Theory]
    [InlineData(1, 4096)]
    [InlineData(777, 4096)]
    [InlineData(3_000_000, 1)]
    [InlineData(3_000_000, 65536)]
    [InlineData(3_000_000, 1 << 20)]
    public void Inflates_what_GZipStream_inflates(int length, int chunk)
    {
        var data = Data(length);

        var inflated = Inflate(TestLayer.Compress(data), chunk, inputSize: 4096);

        Assert.Equal(data, inflated);
    }

    [Fact]
    public void Reads_concatenated_members_and_ignores_trailing_zero_padding()
    {
        var first = Data(100_000, 1);
        var second = Data(50_000, 2);
        byte[] blob = [.. TestLayer.Compress(first), .. TestLayer.Compress(second), .. new byte[1000]];
        var source = new MemoryStream(blob);

        using var inflate = new GzipInflateStream(source, leaveOpen: true);
        var output = new MemoryStream();
        inflate.CopyTo(output);

        Assert.Equal([.. first, .. second], output.ToArray());
        Assert.Equal(blob.Length, source.Position);
    }

    [Fact]
    public void A_truncated_member_throws_EndOfStreamException()
    {
        var gzip = TestLayer.Compress(Data(500_000));

        Assert.Throws<EndOfStreamException>(() => Inflate(gzip[..(gzip.Length / 2)]));
        Assert.Throws<EndOfStreamException>(() => Inflate(gzip[..^4]));
    }

    [Fact]
    public void A_wrong_crc_in_the_trailer_throws_InvalidDataException()
    {
        var gzip = TestLayer.Compress(Data(10_000));
        gzip[^8] ^= 0xff;

        var error = Assert.Throws<InvalidDataException>(() => Inflate(gzip));
        Assert.Contains("check", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Corrupt_deflate_data_throws_InvalidDataException()
    {
        var gzip = TestLayer.Compress(Data(200_000));
        for (var i = 0; i < 32; i++) gzip[gzip.Length / 2 + i] ^= 0x5a;

        Assert.Throws<InvalidDataException>(() => Inflate(gzip));
    }

    [Fact]
    public void Agrees_with_GZipStream_on_a_real_test_image_layer()
    {
        var blob = Directory.EnumerateFiles(Path.Combine(Testing.RepositoryLayout.TestImages, "oci", "blobs", "sha256"))
            .Where(f => new FileInfo(f).Length is > 200_000 and < 10_000_000)
            .First(f => File.ReadAllBytes(f) is [0x1f, 0x8b, ..]);
        var gzip = File.ReadAllBytes(blob);
        using var expected = new MemoryStream();
        using (var reference = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress)) reference.CopyTo(expected);

        Assert.Equal(expected.ToArray(), Inflate(gzip));
    }
}
