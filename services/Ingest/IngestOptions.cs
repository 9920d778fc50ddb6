namespace SupplyChainMesh.Ingest;

public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>The shared secret a registry sends as <c>Authorization: Bearer SECRET</c>. Required.</summary>
    public string WebhookSecret { get; set; } = "";

    public const string DefaultScanQueue = "image-scan-saga";

    /// <summary>The scan saga's queue (LayerScanner's <c>ImageScanSagaDefinition</c> endpoint), declared and bound to
    /// <c>ImagePushed</c> by Ingest too, so pushes wait for a LayerScanner that has not started yet.</summary>
    public string ScanQueue { get; set; } = DefaultScanQueue;

    /// <summary>How the registry is named in image identities when an event does not say (host:port).</summary>
    public string? DefaultRegistry { get; set; }
}
