using System.Text;
using SupplyChainMesh.Analysis.Layers;

namespace SupplyChainMesh.Analysis.Tests.Layers;

/// <summary>
/// A layer holding a 2 GiB file, generated as it is read (a ustar header, then zeros): never written to disk or held in
/// memory. The reader walks past it without handing it to a detector whole, and the layer's other files still count.
/// </summary>
public sealed class HugeFileLayerTests
{
    private const long TwoGiB = 2L << 30;

    [Theory]
    [InlineData("huge/blob.pkg")]
    [InlineData("huge/blob.bin")]
    public async Task A_2_GiB_file_is_passed_over_and_the_next_files_are_read(string hugeName)
    {
        var tail = new TestLayer().File("after/small.pkg", "small 1").Tar();
        using var layer = new GeneratedTarStream(UstarHeader(hugeName, TwoGiB), TwoGiB, tail);
        var detector = new LinePackageDetector();
        var reader = new LayerReader([detector]);

        var analysis = await reader.ReadAsync("sha256:huge", layer, default);

        Assert.Equal(["after/small.pkg"], detector.Seen);
        Assert.Equal(["small"], analysis.Packages.Select(p => p.Name));
        Assert.Equal(512 + TwoGiB + tail.Length, analysis.Stats.UncompressedBytes);
        Assert.Equal(2, analysis.Stats.Entries);
        if (hugeName.EndsWith(".pkg", StringComparison.Ordinal))
        {
            // Wanted but over MaxFileBytes (512 MiB by default): a reported problem, not a 2 GiB read into memory.
            var problem = Assert.Single(analysis.Problems);
            Assert.Equal(hugeName, problem.Path);
            Assert.Contains("MaxFileBytes", problem.Reason, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(analysis.Problems);
        }
    }

    [Fact]
    public async Task A_2_GiB_file_past_the_layer_limit_fails_with_LayerTooLargeException()
    {
        var tail = new TestLayer().File("after/small.pkg", "small 1").Tar();
        using var layer = new GeneratedTarStream(UstarHeader("huge/blob.bin", TwoGiB), TwoGiB, tail);
        var reader = new LayerReader([new LinePackageDetector()], new LayerAnalysisOptions { MaxUncompressedBytes = 1L << 30 });

        var error = await Assert.ThrowsAsync<LayerTooLargeException>(() => reader.ReadAsync("sha256:huge", layer, default));
        Assert.Contains("MaxUncompressedBytes", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A POSIX ustar header for a regular file (size in 11 octal digits: up to 8 GiB).</summary>
    private static byte[] UstarHeader(string name, long size)
    {
        var header = new byte[512];
        void Put(int offset, string text) => Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        Put(0, name);
        Put(100, "0000644\0");
        Put(108, "0000000\0");
        Put(116, "0000000\0");
        Put(124, Convert.ToString(size, 8).PadLeft(11, '0') + "\0");
        Put(136, "14707041020\0");
        header[156] = (byte)'0';
        Put(257, "ustar\0");
        Put(263, "00");
        Put(148, "        ");
        var sum = header.Sum(b => b);
        Put(148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
        return header;
    }

    /// <summary>head, then <c>zeros</c> zero bytes made on the fly, then tail.</summary>
    private sealed class GeneratedTarStream(byte[] head, long zeros, byte[] tail) : Stream
    {
        private long _position;
        private long Total => head.Length + zeros + tail.Length;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => Total;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(Span<byte> buffer)
        {
            if (_position >= Total || buffer.IsEmpty) return 0;
            int n;
            if (_position < head.Length)
            {
                n = Math.Min(buffer.Length, head.Length - (int)_position);
                head.AsSpan((int)_position, n).CopyTo(buffer);
            }
            else if (_position < head.Length + zeros)
            {
                n = (int)Math.Min(buffer.Length, head.Length + zeros - _position);
                buffer[..n].Clear();
            }
            else
            {
                var offset = (int)(_position - head.Length - zeros);
                n = Math.Min(buffer.Length, tail.Length - offset);
                tail.AsSpan(offset, n).CopyTo(buffer);
            }
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
