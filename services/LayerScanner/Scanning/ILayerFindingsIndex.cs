namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>Which layers already have stored findings for the current analyzer version (those are never sent again).</summary>
public interface ILayerFindingsIndex
{
    string AnalyzerVersion { get; }

    Task<IReadOnlySet<string>> StoredAsync(IReadOnlyCollection<string> layerDigests, CancellationToken cancellationToken);
}
