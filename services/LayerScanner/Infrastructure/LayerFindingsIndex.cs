using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.LayerScanner.Scanning;

namespace SupplyChainMesh.LayerScanner.Infrastructure;

/// <summary>Stored, successful findings of the current analyzer version.</summary>
public sealed class LayerFindingsIndex(ScannerDbContext db, AnalyzerIdentity analyzer) : ILayerFindingsIndex
{
    public string AnalyzerVersion => analyzer.Version;

    public async Task<IReadOnlySet<string>> StoredAsync(IReadOnlyCollection<string> layerDigests, CancellationToken cancellationToken)
    {
        var version = analyzer.Version;
        var stored = await db.LayerFindings.AsNoTracking()
            .Where(f => layerDigests.Contains(f.Digest) && f.AnalyzerVersion == version && f.Succeeded)
            .Select(f => f.Digest).ToListAsync(cancellationToken);
        return stored.ToHashSet(StringComparer.Ordinal);
    }
}

/// <summary>The version of the detector set this worker runs: part of every stored finding's key.</summary>
public sealed record AnalyzerIdentity(string Version);
