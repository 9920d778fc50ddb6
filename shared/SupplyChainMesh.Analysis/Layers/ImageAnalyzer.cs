namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// The image analysis entry point: analyses each layer on its own (so results can be cached per layer digest and
/// <see cref="AnalyzerVersion"/>), several at once, then squashes them with <see cref="ImageSquasher"/>.
/// </summary>
public sealed class ImageAnalyzer
{
    private readonly LayerReader _reader;
    private readonly LayerAnalysisOptions _options;

    public ImageAnalyzer(IEnumerable<IPackageDetector> detectors, LayerAnalysisOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _reader = new LayerReader(detectors, options);
    }

    /// <summary>Every detector of the library with default options.</summary>
    public ImageAnalyzer() : this(Detectors.All(), LayerAnalysisOptions.Default)
    {
    }

    /// <summary>Names the layer machinery and every detector with their versions: part of the layer cache key.</summary>
    public string AnalyzerVersion => _reader.AnalyzerVersion;

    public LayerAnalysisOptions Options => _options;

    /// <summary>Analyses one layer. Throws <see cref="LayerFormatException"/> or <see cref="LayerTooLargeException"/>
    /// when the blob is unreadable or exceeds a limit.</summary>
    public Task<LayerAnalysis> AnalyzeLayerAsync(LayerSource layer, CancellationToken ct) => _reader.ReadAsync(layer, ct);

    /// <summary>Analyses the layers (bottom first) in parallel, at most <see cref="LayerAnalysisOptions.MaxParallelLayers"/>
    /// at a time, then squashes them. The first failing layer fails the image with its typed exception.</summary>
    public async Task<ImageInventory> AnalyzeImageAsync(IReadOnlyList<LayerSource> layers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var analyses = new LayerAnalysis[layers.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelLayers), CancellationToken = ct };
        // Largest first: the longest layer starts at once instead of last.
        var order = Enumerable.Range(0, layers.Count).OrderByDescending(i => layers[i].Size);
        await Parallel.ForEachAsync(order, parallel, async (i, token) =>
            analyses[i] = await _reader.ReadAsync(layers[i], token).ConfigureAwait(false)).ConfigureAwait(false);
        return Squash(analyses);
    }

    /// <summary>Squashes analyses read earlier (from a cache, say) with this analyzer's options.</summary>
    public ImageInventory Squash(IReadOnlyList<LayerAnalysis> analyses) =>
        ImageSquasher.Squash(analyses, _options.IncludeOsOwnedLanguagePackages);
}
