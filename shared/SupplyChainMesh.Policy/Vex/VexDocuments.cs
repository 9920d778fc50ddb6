using System.Text.Json;

namespace SupplyChainMesh.Policy.Vex;

/// <summary>Reads a VEX document of either format, recognised by its parsed structure (never by a substring of the text).</summary>
public static class VexDocuments
{
    public const int MaxDepth = 64;
    public const string OpenVexNamespace = "https://openvex.dev/ns";

    public static IReadOnlyList<VexStatement> Parse(string json) => Read(json).Statements;

    /// <summary>Reads the document and says which format it was; throws <see cref="VexFormatException"/> naming what is wrong.</summary>
    public static VexDocument Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
            var root = document.RootElement;
            var format = Detect(root);
            return new VexDocument(format, format == VexFormat.OpenVex ? OpenVexParser.Parse(root) : CycloneDxVexParser.Parse(root));
        }
        catch (JsonException ex)
        {
            throw new VexFormatException($"The VEX document is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The format of a parsed document: OpenVEX when its <c>@context</c> is a URL in the OpenVEX namespace, CycloneDX
    /// when its <c>bomFormat</c> is "CycloneDX" and it has <c>vulnerabilities</c> (without them it is an SBOM, which
    /// states nothing about exploitability). Anything else, or a document claiming both, is refused with the reason.
    /// </summary>
    public static VexFormat Detect(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new VexFormatException($"The VEX document is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object.");
        var openVex = OpenVexParser.IsOpenVex(root);
        var cycloneDx = CycloneDxVexParser.IsCycloneDx(root);
        if (openVex && cycloneDx)
            throw new VexFormatException("The document claims to be both OpenVEX ('@context') and CycloneDX ('bomFormat'): send one format per document.");
        if (openVex) return VexFormat.OpenVex;
        if (cycloneDx)
        {
            return root.TryGetProperty("vulnerabilities", out _)
                ? VexFormat.CycloneDx
                : throw new VexFormatException("A CycloneDX document without 'vulnerabilities' is an SBOM, not VEX: it states nothing about any vulnerability.");
        }
        if (root.TryGetProperty("@context", out var context))
            throw new VexFormatException($"'@context' is {context.GetRawText()}, not an OpenVEX namespace ({OpenVexNamespace}/...).");
        throw new VexFormatException($"Neither OpenVEX (an '@context' of {OpenVexNamespace}) nor CycloneDX ('bomFormat': \"CycloneDX\" with 'vulnerabilities').");
    }
}
