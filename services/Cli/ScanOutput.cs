using System.Text.Json;
using Spectre.Console;
using SupplyChainMesh.Analysis.Layers;

namespace SupplyChainMesh.Cli;

/// <summary>Renders scan results: a per-layer table and a package table, or JSON.</summary>
internal static class ScanOutput
{
    public static void WriteTable(TextWriter output, IReadOnlyList<ScanResult> results)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = Math.Max(console.Profile.Width, 220);
        foreach (var result in results)
        {
            var inventory = result.Inventory;
            console.WriteLine($"Image:        {result.Reference}");
            console.WriteLine($"Manifest:     {result.Image.Manifest.Digest}{(result.Image.Platform is { } platform ? $" ({platform})" : "")}");
            console.WriteLine($"Distribution: {(inventory.Distribution is { } d ? $"{d.Id} {d.VersionId}" : "(unknown)")}");
            console.WriteLine($"Packages:     {inventory.Packages.Count}");
            console.WriteLine();

            var layers = new Table().Title("Layers").AddColumns("#", "Digest", "Compression", "Blob", "Tar", "Entries", "Found", "Added", "Whiteouts", "Problems");
            foreach (var l in inventory.Layers)
            {
                layers.AddRow(l.Index.ToString(), Markup.Escape(l.Digest), l.Compression.ToString(), Format.Bytes(l.Stats.CompressedBytes),
                    Format.Bytes(l.Stats.UncompressedBytes), l.Stats.Entries.ToString(), l.PackagesFound.ToString(), l.PackagesAdded.ToString(),
                    l.Whiteouts.ToString(), l.Problems.ToString());
            }
            console.Write(layers);

            var packages = new Table().Title("Packages").AddColumns("Layer", "Type", "Name", "Version", "Source", "Path");
            foreach (var p in inventory.Packages)
            {
                var source = p.Package.SourceName is null ? "" : $"{p.Package.SourceName} {p.Package.SourceVersion}".Trim();
                packages.AddRow(p.LayerIndex.ToString(), p.Package.Type, Markup.Escape(p.Package.Name), Markup.Escape(p.Package.Version),
                    Markup.Escape(source), Markup.Escape(p.Package.Path));
            }
            console.Write(packages);
            foreach (var problem in inventory.Problems)
                console.WriteLine($"problem: layer {problem.LayerIndex} {problem.Path}: {problem.Reason}");
            console.WriteLine();
        }
    }

    /// <summary>One JSON object per run: the image and, per resolved platform image, its manifest and inventory.</summary>
    public static async Task WriteJsonAsync(TextWriter output, IReadOnlyList<ScanResult> results)
    {
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("image", results.Count > 0 ? results[0].Reference.ToString() : null);
            json.WriteStartArray("images");
            foreach (var r in results)
            {
                json.WriteStartObject();
                json.WriteString("manifestDigest", r.Image.Manifest.Digest);
                json.WriteString("mediaType", r.Image.Manifest.MediaType);
                if (r.Image.Platform is { } p) json.WriteString("platform", p.ToString());
                json.WritePropertyName("inventory");
                json.WriteRawValue(AnalysisJson.Serialize(r.Inventory));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray())).ConfigureAwait(false);
    }
}
