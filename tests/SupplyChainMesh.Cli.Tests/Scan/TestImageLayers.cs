using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Cli.Tests.Scan;

/// <summary>The build's own record of each test image's layers (<c>layers.tsv</c>): blob digest and diff id by index from 0.</summary>
internal static class TestImageLayers
{
    public static IReadOnlyList<(string Digest, string DiffId)> Of(string tag) =>
        [.. File.ReadLines(Path.Combine(RepositoryLayout.TestImages, "layers.tsv")).Skip(1)
            .Select(line => line.Split('\t'))
            .Where(cells => cells[0] == tag)
            .OrderBy(cells => int.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture))
            .Select(cells => (cells[2], cells[5]))];

    public static string Oci(string tag) => $"oci:{Path.Combine(RepositoryLayout.TestImages, "oci")}:{tag}";
}
