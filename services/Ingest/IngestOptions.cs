namespace SupplyChainMesh.Ingest;

public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>The shared secret a registry sends as <c>Authorization: Bearer SECRET</c>. Required.</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>How the registry is named in image identities when an event does not say (host:port).</summary>
    public string? DefaultRegistry { get; set; }
}
