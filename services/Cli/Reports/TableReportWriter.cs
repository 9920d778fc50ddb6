using Spectre.Console;
using SupplyChainMesh.Cli.Scanning;

namespace SupplyChainMesh.Cli.Reports;

/// <summary><c>--format table</c>, for people: the image, per-layer counts, the packages and, with feeds, the findings
/// (id, package, installed, fixed, severity, KEV) with a summary line.</summary>
internal static class TableReportWriter
{
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<ScanResult> results)
    {
        var console = PlainConsole.Create(output);
        foreach (var result in results) Write(console, result);
        await output.FlushAsync().ConfigureAwait(false);
    }

    private static void Write(IAnsiConsole console, ScanResult result)
    {
        var inventory = result.Inventory;
        console.WriteLine($"Image:        {result.Reference}");
        console.WriteLine($"Manifest:     {result.Image.Manifest.Digest}{(result.Image.Platform is { } platform ? $" ({platform})" : "")}");
        console.WriteLine($"Distribution: {(inventory.Distribution is { } d ? $"{d.Id} {d.VersionId}" : "(unknown)")}");
        console.WriteLine($"Packages:     {inventory.Packages.Count}");
        console.WriteLine();

        var layers = new Table().Title("Layers").AddColumns("#", "Digest", "Compression", "Blob", "Tar", "Entries", "Found", "Added", "Whiteouts", "Problems");
        if (result.Findings is not null) layers.AddColumn("Findings");
        foreach (var l in inventory.Layers)
        {
            var cells = new List<string>
            {
                l.Index.ToString(), Markup.Escape(l.Digest), l.Compression.ToString(), Format.Bytes(l.Stats.CompressedBytes),
                Format.Bytes(l.Stats.UncompressedBytes), l.Stats.Entries.ToString(), l.PackagesFound.ToString(), l.PackagesAdded.ToString(),
                l.Whiteouts.ToString(), l.Problems.ToString(),
            };
            if (result.Findings is { } f) cells.Add(f.Count(x => x.LayerIndex == l.Index).ToString());
            layers.AddRow([.. cells]);
        }
        console.Write(layers);

        if (result.Findings is null)
        {
            var packages = new Table().Title("Packages").AddColumns("Layer", "Type", "Name", "Version", "Source", "Path");
            foreach (var p in inventory.Packages)
            {
                var source = p.Package.SourceName is null ? "" : $"{p.Package.SourceName} {p.Package.SourceVersion}".Trim();
                packages.AddRow(p.LayerIndex.ToString(), p.Package.Type, Markup.Escape(p.Package.Name), Markup.Escape(p.Package.Version),
                    Markup.Escape(source), Markup.Escape(p.Package.Path));
            }
            console.Write(packages);
        }
        else
        {
            var findings = new Table().Title("Vulnerabilities").AddColumns("Layer", "Package", "Vulnerability", "Severity", "Installed", "Fixed", "KEV");
            foreach (var f in result.Findings)
            {
                findings.AddRow(f.LayerIndex.ToString(), Markup.Escape(f.Package.Package.Name), Markup.Escape(f.Finding.VulnerabilityId),
                    VulnerabilityLinks.Word(f.Finding.Severity), Markup.Escape(f.Finding.InstalledVersion),
                    Markup.Escape(f.Finding.FixedVersion ?? "(not fixed)"), f.Finding.KnownExploited ? "yes" : "");
            }
            console.Write(findings);
            console.WriteLine(FindingSummary.Of(result.Findings).ToString());
        }
        foreach (var problem in inventory.Problems)
            console.WriteLine($"problem: layer {problem.LayerIndex} {problem.Path}: {problem.Reason}");
        console.WriteLine();
    }
}
