using System.Text.Json;

namespace SupplyChainMesh.Gateway.Proxy;

/// <summary>
/// The repository named by a scan request's body (<c>{"reference": "host:port/dev/app:1.0"}</c>), so the gateway can
/// check it before Ingest touches the registry. Docker's rules: an optional <c>docker://</c>, a first component that
/// names a host when it has a dot or a colon or is <c>localhost</c>, then the repository, then <c>:tag</c> and/or
/// <c>@digest</c>.
/// </summary>
public static class ScanRequestRepository
{
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>The repository, or null when the body is not a scan request with a reference (Ingest answers that).</summary>
    public static string? FromBody(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("reference", out var reference) && reference.ValueKind == JsonValueKind.String
                ? FromReference(reference.GetString()!)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? FromReference(string reference)
    {
        var text = reference.Trim();
        if (text.StartsWith("docker://", StringComparison.Ordinal)) text = text["docker://".Length..];
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0) text = text[..at];
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = text[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
                text = text[(slash + 1)..];
        }
        var colon = text.LastIndexOf(':');
        if (colon > text.LastIndexOf('/')) text = text[..colon];
        return text.Length > 0 ? text : null;
    }
}
