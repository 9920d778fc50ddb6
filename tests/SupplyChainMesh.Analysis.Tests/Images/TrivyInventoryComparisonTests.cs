using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Images;

/// <summary>
/// Every image the image build produced (<c>images.tsv</c>), scanned from its OCI layout with every detector and the
/// default options, has the package inventory (ecosystem, name, version) Trivy reported for it in
/// <c>peer-sbom/&lt;tag&gt;.cdx.json</c>, except the differences <see cref="TrivyAllowList"/> lists and explains. Both
/// directions are checked, and an allow-list entry that no longer matches a difference fails too, so the list stays true.
/// </summary>
public sealed class TrivyInventoryComparisonTests
{
    private static readonly ImageAnalyzer Analyzer = new(Detectors.All(), LayerAnalysisOptions.Default);

    public static TheoryData<string> Tags() => new(BuiltTags());

    private static string[] BuiltTags() =>
        File.ReadAllLines(Path.Combine(RepositoryLayout.TestImages, "images.tsv"))
            .Skip(1)
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t')[0])
            .ToArray();

    [Fact]
    public void Every_built_image_has_a_peer_inventory()
    {
        var tags = BuiltTags();

        Assert.True(tags.Length >= 4, $"images.tsv lists {tags.Length} images");
        Assert.All(tags, tag => Assert.True(File.Exists(SbomPath(tag)), $"no peer-sbom for {tag}"));
    }

    [Theory]
    [MemberData(nameof(Tags))]
    public async Task Inventory_equals_Trivys_up_to_the_explained_differences(string tag)
    {
        var inventory = await Analyzer.AnalyzeImageAsync(OciLayoutImages.Layers(tag), default);
        var ours = inventory.Packages.Select(p => Key(p.Package)).ToHashSet();
        var trivy = TrivyInventory.Read(SbomPath(tag));

        var onlyOurs = ours.Except(trivy).Select(k => new Difference(tag, Side.OnlyOurs, k));
        var onlyTrivy = trivy.Except(ours).Select(k => new Difference(tag, Side.OnlyTrivy, k));
        var differences = onlyOurs.Concat(onlyTrivy).ToArray();

        var unexplained = differences.Where(d => !TrivyAllowList.Entries.Any(e => e.Matches(d))).Select(d => d.ToString()).Order().ToArray();
        Assert.True(unexplained.Length == 0,
            $"{tag}: {unexplained.Length} differences with Trivy not in TrivyAllowList:\n" + string.Join('\n', unexplained));

        var stale = TrivyAllowList.Entries
            .Where(e => e.AppliesTo(tag) && !differences.Any(e.Matches))
            .Select(e => e.ToString())
            .ToArray();
        Assert.True(stale.Length == 0, $"{tag}: allow-list entries that match no difference:\n" + string.Join('\n', stale));

        // The comparison is not vacuous: most of the inventory agrees.
        Assert.True(ours.Intersect(trivy).Count() >= 0.9 * trivy.Count, $"{tag}: only {ours.Intersect(trivy).Count()} of {trivy.Count} agree");
    }

    internal static InventoryKey Key(Package package)
    {
        var name = TrivyInventory.OsTypes.Contains(package.Type) || string.IsNullOrEmpty(package.Namespace)
            ? package.Name
            : $"{package.Namespace}/{package.Name}";
        return new InventoryKey(package.Type, name, package.Version);
    }

    private static string SbomPath(string tag) => Path.Combine(RepositoryLayout.TestImages, "peer-sbom", tag + ".cdx.json");
}

internal enum Side
{
    OnlyOurs,
    OnlyTrivy,
}

internal sealed record Difference(string Tag, Side Side, InventoryKey Package)
{
    public override string ToString() => $"{Tag} {Side}: {Package}";
}
