using System.Text.Json;

namespace SupplyChainMesh.Policy.Vex;

/// <summary>Reads a VEX document of either format, recognised by its content.</summary>
public static class VexDocuments
{
    public const int MaxDepth = 64;

    public static IReadOnlyList<VexStatement> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
            var root = document.RootElement;
            if (OpenVexParser.IsOpenVex(root)) return OpenVexParser.Parse(root);
            if (CycloneDxVexParser.IsCycloneDx(root)) return CycloneDxVexParser.Parse(root);
            throw new VexFormatException("Neither OpenVEX (an '@context' of https://openvex.dev/ns) nor CycloneDX ('bomFormat': \"CycloneDX\").");
        }
        catch (JsonException ex)
        {
            throw new VexFormatException($"The VEX document is not valid JSON: {ex.Message}", ex);
        }
    }
}
