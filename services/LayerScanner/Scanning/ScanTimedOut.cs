namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>A scan made no progress for <see cref="Timeout"/>: some layer never came back (its worker died, its message
/// went to <c>_error</c>). Published by <see cref="ScanTimeoutSweeper"/>; consumed only by the scan saga, which re-sends or fails the
/// scan unless it moved on meanwhile.</summary>
public sealed record ScanTimedOut
{
    public required Guid ScanId { get; init; }

    public required TimeSpan Timeout { get; init; }
}
