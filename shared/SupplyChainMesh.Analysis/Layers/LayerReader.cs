using System.Buffers;
using System.Formats.Tar;
using System.IO.Compression;
using SupplyChainMesh.Analysis.Elf;
using ZstdSharp;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// Reads one layer blob in a single forward pass: detects the compression by magic bytes, inflates as a stream through
/// large read-ahead buffers (never to disk, never whole in memory; gzip through <see cref="GzipInflateStream"/>, which
/// feeds zlib large inputs), walks the tar with <see cref="TarHeaderReader"/> (no per-entry objects; unwanted data passed
/// over uncopied, or seeked over in a plain tar file), records
/// whiteouts, and hands every file some detector wants to those detectors as a bounded stream.
/// One bad entry is a reported problem; a broken blob or an exceeded limit is a typed <see cref="LayerAnalysisException"/>.
/// </summary>
public sealed class LayerReader
{
    /// <summary>Bumped when what the reader itself records changes (paths, whiteouts, squash inputs).</summary>
    public const int MachineryVersion = 1;

    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueWhiteout = ".wh..wh..opq";

    private readonly IPackageDetector[] _detectors;
    private readonly LayerAnalysisOptions _options;

    public LayerReader(IEnumerable<IPackageDetector> detectors, LayerAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(detectors);
        _detectors = detectors.OrderBy(d => d.Name, StringComparer.Ordinal).ToArray();
        _options = options ?? LayerAnalysisOptions.Default;
        AnalyzerVersion = string.Join(';',
            _detectors.Select(d => $"{d.Name}/{d.Version}").Prepend($"layers/{MachineryVersion}"));
    }

    /// <summary>The cache key part naming this reader and its detectors, e.g. <c>layers/1;distro/1;dpkg/1</c>.</summary>
    public string AnalyzerVersion { get; }

    public async Task<LayerAnalysis> ReadAsync(LayerSource layer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var blob = await layer.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (blob.ConfigureAwait(false))
        {
            return await ReadAsync(layer.Digest, blob, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads a layer blob (gzip, zstd or plain tar) from <paramref name="blob"/>. The read runs synchronously on a
    /// thread of its own (the async tar adapters cost more than the tar walk itself); cancelling disposes
    /// <paramref name="blob"/>, which is how a read hung on a dead connection ends.
    /// </summary>
    public Task<LayerAnalysis> ReadAsync(string digest, Stream blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return Task.Factory.StartNew(
            () => Read(digest, blob, cancellationToken),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Reads a layer blob on the calling thread. See <see cref="ReadAsync(string, Stream, CancellationToken)"/>.</summary>
    public LayerAnalysis Read(string digest, Stream blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        cancellationToken.ThrowIfCancellationRequested();
        using var unblock = cancellationToken.Register(static b => ((Stream)b!).Dispose(), blob);
        try
        {
            return ReadCore(digest, blob, cancellationToken);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException($"reading layer {digest} was cancelled", e, cancellationToken);
        }
    }

    private LayerAnalysis ReadCore(string digest, Stream blob, CancellationToken cancellationToken)
    {
        var compressed = new PeekableStream(blob);
        var compression = LayerCompressionDetector.Detect(compressed.Peek(), digest);
        var what = compression switch
        {
            LayerCompression.Gzip => "gzip",
            LayerCompression.Zstd => "zstd",
            _ => "tar",
        };
        using Stream decompressor = compression switch
        {
            LayerCompression.Gzip => ZlibNative.IsAvailable
                ? new GzipInflateStream(compressed, leaveOpen: true)
                : new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true),
            LayerCompression.Zstd => new DecompressionStream(compressed, leaveOpen: true),
            _ => compressed,
        };
        using var tarStream = new ReadAheadStream(
            decompressor,
            _options.BufferSize,
            limit: _options.MaxUncompressedBytes,
            limitExceeded: limit => new LayerTooLargeException(digest,
                $"the layer expands to more than {limit} bytes (MaxUncompressedBytes): a decompression bomb or an oversized layer"),
            translate: e => e switch
            {
                InvalidDataException or ZstdException => new LayerFormatException(digest, $"corrupt {what} data: {e.Message}", e),
                EndOfStreamException => new LayerFormatException(digest, $"truncated {what} data: {e.Message}", e),
                _ => null,
            },
            prefetch: _options.PrefetchOnOwnThread && !(compression == LayerCompression.None && compressed.CanSeek));
        var builder = new LayerAnalysisBuilder();
        var (entries, files) = ReadTar(digest, tarStream, builder, cancellationToken);
        var stats = new LayerStats(compressed.BytesRead, tarStream.InnerBytes, entries, files);
        return builder.Build(digest, AnalyzerVersion, compression, stats);
    }

    private (long Entries, long Files) ReadTar(
        string digest, ReadAheadStream tarStream, LayerAnalysisBuilder builder, CancellationToken cancellationToken)
    {
        using var tar = new TarHeaderReader(tarStream);
        var wanted = new List<IPackageDetector>(_detectors.Length);
        long entries = 0, files = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (!tar.MoveNext()) break;
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                var reason = e is EndOfStreamException ? $"truncated: {e.Message}" : $"malformed tar: {e.Message}";
                throw new LayerFormatException(digest, $"{reason} (after {tarStream.Position} bytes of tar)", e);
            }
            if (++entries > _options.MaxEntries)
                throw new LayerTooLargeException(digest, $"the layer has more than {_options.MaxEntries} entries (MaxEntries)");
            if (ReadEntry(tar, builder, wanted, cancellationToken)) files++;
            tarStream.ThrowIfFaulted();
        }
        // The padding after the end marker is tiny; reading it lets the decompressor check its trailer (gzip CRC).
        tarStream.Drain();
        return (entries, files);
    }

    /// <summary>Handles the reader's current entry; true when it was handed to detectors.</summary>
    private bool ReadEntry(TarHeaderReader entry, LayerAnalysisBuilder builder, List<IPackageDetector> wanted, CancellationToken cancellationToken)
    {
        if (!TarPath.TryNormalize(entry.Name, out var path))
        {
            builder.Problem(entry.Name, "the entry's path climbs above the layer root ('..'); skipped");
            return false;
        }
        if (path.Length == 0) return false;

        var slash = path.LastIndexOf('/');
        var fileName = slash < 0 ? path.AsSpan() : path.AsSpan(slash + 1);
        if (fileName.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            var directory = slash < 0 ? [] : path.AsSpan(0, slash);
            if (fileName.SequenceEqual(OpaqueWhiteout)) builder.OpaqueDirectory(directory.ToString());
            // Other ".wh..wh." names are aufs bookkeeping (".wh..wh.plnk"), not deletions.
            else if (!fileName.StartsWith(".wh..wh.", StringComparison.Ordinal))
                builder.Whiteout(TarPath.Join(directory, fileName[WhiteoutPrefix.Length..]));
            return false;
        }

        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                break;
            case TarEntryType.HardLink:
                // A hard link names another entry of the archive: that name must stay inside the root too.
                // Symbolic links are never followed, so their targets (often absolute) cannot lead anywhere.
                if (!TarPath.TryNormalize(entry.LinkName, out _))
                    builder.Problem(path, $"hard link target '{entry.LinkName}' climbs above the layer root; skipped");
                return false;
            default:
                return false;
        }

        var file = new LayerFile(path, entry.Length, entry.Mode);
        wanted.Clear();
        foreach (var detector in _detectors)
        {
            if (detector.Wants(in file)) wanted.Add(detector);
        }
        if (wanted.Count == 0) return false;

        builder.ScannedFile(path);
        if (entry.Length > Math.Min(_options.MaxFileBytes, Array.MaxLength))
        {
            builder.Problem(path,
                $"{entry.Length} bytes is more than the {_options.MaxFileBytes} bytes read per file (MaxFileBytes); " +
                $"not read by {string.Join(", ", wanted.Select(d => d.Name))}");
            return true;
        }

        var data = entry.OpenData();
        if (wanted.Count == 1)
        {
            Detect(wanted[0], file, data, builder, cancellationToken);
            return true;
        }

        if (wanted.TrueForAll(static d => d is IElfExecutableDetector))
        {
            // The binary detectors share one forward pass with bounded memory instead of a whole-file buffer.
            DetectElf(wanted, file, data, builder, cancellationToken);
            return true;
        }

        // Several detectors want the same file: read it once into memory (bounded by MaxFileBytes).
        var length = (int)entry.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            // A short read means the tar ended inside this file: passing over the rest reports it as truncated.
            if (data.ReadAtLeast(buffer.AsSpan(0, length), length, throwOnEndOfStream: false) < length) return true;
            foreach (var detector in wanted)
            {
                using var content = new MemoryStream(buffer, 0, length, writable: false);
                Detect(detector, file, content, builder, cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return true;
    }

    private static void DetectElf(
        List<IPackageDetector> detectors, LayerFile file, Stream content, LayerAnalysisBuilder sink, CancellationToken cancellationToken)
    {
        var needs = ElfPassNeeds.None;
        foreach (var detector in detectors) needs |= ((IElfExecutableDetector)detector).Needs;
        ElfExecutableScan scan;
        try
        {
            var pass = ElfExecutablePass.ReadAsync(content, file.Length, needs, cancellationToken);
            scan = pass.IsCompletedSuccessfully ? pass.Result : pass.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not (OperationCanceledException or LayerAnalysisException))
        {
            sink.Problem(file.Path, $"reading the executable failed: {e.GetType().Name}: {e.Message}");
            return;
        }
        using (scan)
        {
            foreach (var detector in detectors)
            {
                try
                {
                    ((IElfExecutableDetector)detector).Report(file, scan, sink);
                }
                catch (Exception e) when (e is not (OperationCanceledException or LayerAnalysisException))
                {
                    sink.Problem(file.Path, $"detector {detector.Name} failed: {e.GetType().Name}: {e.Message}");
                }
            }
        }
    }

    private static void Detect(
        IPackageDetector detector, LayerFile file, Stream content, LayerAnalysisBuilder sink, CancellationToken cancellationToken)
    {
        try
        {
            // The content streams complete reads synchronously, so detectors normally finish without waiting.
            var detection = detector.DetectAsync(file, content, sink, cancellationToken);
            if (!detection.IsCompletedSuccessfully) detection.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not (OperationCanceledException or LayerAnalysisException))
        {
            // Detectors report malformed content themselves; this is a detector bug, kept to one file.
            sink.Problem(file.Path, $"detector {detector.Name} failed: {e.GetType().Name}: {e.Message}");
        }
    }
}
