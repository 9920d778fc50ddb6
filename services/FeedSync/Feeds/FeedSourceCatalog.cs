using Microsoft.Extensions.Options;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Nvd;

namespace SupplyChainMesh.FeedSync.Feeds;

/// <summary>One configured source, resolved: a mirror folder (or file), a URL, or the NVD API (<see cref="Nvd"/>), with its schedule.</summary>
public sealed record FeedSourceDefinition(string Name, string? MirrorRoot, string? Folder, Uri? Url, FeedFormat? Format, TimeSpan Interval, TimeSpan StaleAfter)
{
    /// <summary>Set when the source is the NVD CVE API 2.0 (paged, incremental), not a file.</summary>
    public NvdClientOptions? Nvd { get; init; }

    /// <summary>NVD API: records committed per transaction.</summary>
    public int NvdRecordsPerCommit { get; init; } = 10_000;
}

/// <summary>The sources FeedSync synchronises, from <see cref="FeedSyncOptions"/>: explicit <c>FeedSync:Sources</c>, else
/// every top-level folder of the mirror that holds a readable feed.</summary>
public sealed class FeedSourceCatalog
{
    private readonly Dictionary<string, FeedSourceDefinition> _sources;

    public FeedSourceCatalog(IOptions<FeedSyncOptions> options)
    {
        var o = options.Value;
        _sources = new Dictionary<string, FeedSourceDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, source) in o.Sources)
        {
            FeedFormat? format = source.Format is null ? null
                : FeedFormats.Parse(source.Format) ?? throw new InvalidOperationException($"FeedSync:Sources:{name}:Format '{source.Format}' is not a known feed format.");
            if (source.Url is null && o.MirrorRoot is null && (source.Path is null || !Path.IsPathRooted(source.Path)))
                throw new InvalidOperationException($"FeedSync:Sources:{name} has neither a Url nor a Path under FeedSync:MirrorRoot.");
            if (source.Url is not null && format is null && !string.Equals(source.Type, "nvd-api", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"FeedSync:Sources:{name}:Format is required with a Url.");
            _sources[name] = new FeedSourceDefinition(name, o.MirrorRoot, source.Url is null ? source.Path ?? name : null, source.Url, format,
                source.Interval ?? o.Interval, source.StaleAfter ?? o.StaleAfter)
            {
                Nvd = IsNvdApi(name, source, format) ? NvdOptionsOf(source) : null,
                NvdRecordsPerCommit = Math.Max(1, source.RecordsPerCommit ?? 10_000),
            };
        }
        if (o.Sources.Count == 0 && o.MirrorRoot is { } root && Directory.Exists(root))
        {
            foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(folder);
                var readable = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                    .Any(f => FeedFormats.Of(Path.GetRelativePath(root, f).Replace('\\', '/')) != FeedFormat.None);
                if (readable) _sources[name] = new FeedSourceDefinition(name, root, name, null, null, o.Interval, o.StaleAfter);
            }
        }
    }

    public IReadOnlyCollection<FeedSourceDefinition> All => _sources.Values;

    private static bool IsNvdApi(string name, FeedSourceOptions source, FeedFormat? format) => source.Type?.Trim().ToLowerInvariant() switch
    {
        "nvd-api" when source.Url is null => throw new InvalidOperationException($"FeedSync:Sources:{name}:Type nvd-api needs a Url."),
        "nvd-api" => true,
        null or "" or "file" => format == FeedFormat.Nvd && source.Url?.AbsolutePath.TrimEnd('/').EndsWith("/cves/2.0", StringComparison.Ordinal) == true,
        _ => throw new InvalidOperationException($"FeedSync:Sources:{name}:Type '{source.Type}' is neither 'file' nor 'nvd-api'."),
    };

    private static NvdClientOptions NvdOptionsOf(FeedSourceOptions source)
    {
        var nvd = new NvdClientOptions { BaseUri = source.Url!, ApiKey = source.ApiKey };
        if (source.ResultsPerPage is { } size) nvd = nvd with { ResultsPerPage = Math.Clamp(size, 1, 2000) };
        if (source.InitialBackoff is { } backoff) nvd = nvd with { InitialBackoff = backoff };
        return nvd;
    }

    public FeedSourceDefinition? Find(string name) => _sources.GetValueOrDefault(name);
}
