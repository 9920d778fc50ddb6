namespace SupplyChainMesh.Analysis.Tests.Images;

/// <summary>
/// The ONE list of accepted differences between our inventory and Trivy's (v0.44.1, the peer the image build keeps) on
/// the test images, each with the reason. <c>Tag</c> "*" means every image; <c>Version</c> "*" any version.
/// </summary>
internal static class TrivyAllowList
{
    public static readonly AllowedDifference[] Entries =
    [
        new("app-mixed", Side.OnlyOurs, "golang", "stdlib", "*",
            "The Go toolchain a binary was built with (esbuild: go1.20.7) is a real component with its own advisories "
            + "(the Go vulnerability database names it 'stdlib'); Trivy 0.44 does not report it (later Trivy versions do)."),
        new("app-mixed", Side.OnlyOurs, "golang", "github.com/evanw/esbuild", "",
            "The main module of the esbuild binary: it really is there (build info 'mod' line). It was built from a "
            + "checkout, so its version is '(devel)', which we report as no version; Trivy 0.44 drops such main modules."),
        new("app-mixed", Side.OnlyTrivy, "npm", "vulnerable-node-app", "1.0.0",
            "The application's own manifest, app/package.json, outside node_modules: Trivy lists the project itself as a "
            + "package; we report the packages installed under node_modules only, as the project is not a published "
            + "package that a feed could name."),
    ];
}

internal sealed record AllowedDifference(string Tag, Side Side, string Ecosystem, string Name, string Version, string Reason)
{
    public bool AppliesTo(string tag) => Tag == "*" || Tag == tag;

    public bool Matches(Difference difference) =>
        AppliesTo(difference.Tag)
        && Side == difference.Side
        && Ecosystem == difference.Package.Ecosystem
        && Name == difference.Package.Name
        && (Version == "*" || Version == difference.Package.Version);

    public override string ToString() => $"{Tag} {Side}: {Ecosystem} {Name} {Version} ({Reason})";
}
