using SupplyChainMesh.Cli.Scanning;

namespace SupplyChainMesh.Cli.Reports;

/// <summary>The <c>--format</c> values of <c>scm scan</c> and their writers.</summary>
internal static class ReportFormats
{
    public const string Table = "table";
    public const string Json = "json";
    public const string CycloneDx = "cyclonedx";
    public const string Sarif = "sarif";

    public static readonly string[] All = [Table, Json, CycloneDx, Sarif];

    public static Task WriteAsync(string format, TextWriter output, IReadOnlyList<ScanResult> results) => format switch
    {
        Json => JsonReportWriter.WriteAsync(output, results),
        CycloneDx => CycloneDxWriter.WriteAsync(output, results),
        Sarif => SarifWriter.WriteAsync(output, results),
        _ => TableReportWriter.WriteAsync(output, results),
    };

    /// <summary>The tool's version as reports name it.</summary>
    public static string ToolVersion { get; } =
        typeof(ReportFormats).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
