namespace SupplyChainMesh.Policy.Vex;

/// <summary>The VEX formats read (<see cref="VexDocuments.Detect"/> decides which one a document is).</summary>
public enum VexFormat
{
    /// <summary>OpenVEX: an <c>@context</c> in the https://openvex.dev/ns namespace.</summary>
    OpenVex,

    /// <summary>CycloneDX VEX: <c>bomFormat</c> "CycloneDX" with a <c>vulnerabilities</c> list.</summary>
    CycloneDx,
}

/// <summary>A VEX document read: its format and its statements.</summary>
public sealed record VexDocument(VexFormat Format, IReadOnlyList<VexStatement> Statements)
{
    /// <summary>The format as the API shows it.</summary>
    public string FormatName => Format == VexFormat.OpenVex ? "openvex" : "cyclonedx";
}
