using SupplyChainMesh.Analysis.Elf;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Go;

/// <summary>
/// Go modules compiled into executables, from the build info the Go linker embeds (Trivy's gobinary analyzer):
/// the toolchain as <c>stdlib</c> (version <c>v1.21.5</c>, as Trivy writes it), every <c>dep</c> with <c>=&gt;</c>
/// replacements applied, and the main module (its version when it is not <c>(devel)</c>, else one stamped with
/// <c>-ldflags -X …version=</c>, else empty). Only ELF executables are read, in one forward pass shared with the other
/// binary detectors (<see cref="ElfExecutablePass"/>).
/// GOPATH builds (no modules, e.g. Debian's docker-registry) carry only the toolchain version: that is all we report.
/// </summary>
public sealed class GoBinaryDetector : IElfExecutableDetector
{
    /// <summary>The smallest Go executable is over a megabyte; this keeps scripts and tiny tools out cheaply.</summary>
    private const long MinimumLength = 256 * 1024;

    public string Name => "gobinary";

    public int Version => 1;

    public bool Wants(in LayerFile file) => file.IsExecutable && file.Length >= MinimumLength;

    ElfPassNeeds IElfExecutableDetector.Needs => ElfPassNeeds.GoBuildInfo;

    public async ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken)
    {
        using var scan = await ElfExecutablePass.ReadAsync(content, file.Length, ElfPassNeeds.GoBuildInfo, cancellationToken).ConfigureAwait(false);
        Report(file, scan, sink);
    }

    void IElfExecutableDetector.Report(LayerFile file, ElfExecutableScan scan, IDetectionSink sink) => Report(file, scan, sink);

    private void Report(LayerFile file, ElfExecutableScan scan, IDetectionSink sink)
    {
        if (scan.GoBuildInfo is not { } result) return;
        switch (result.Outcome)
        {
            case GoBuildInfoReader.Outcome.NotElf or GoBuildInfoReader.Outcome.NotGo:
                return;
            case GoBuildInfoReader.Outcome.PointerFormat or GoBuildInfoReader.Outcome.Malformed:
                sink.Problem(file.Path, result.Error!);
                return;
        }
        var info = result.Info!;
        if (StdlibVersion(info.GoVersion) is { } stdlib)
            sink.Package(Module(file, "stdlib", stdlib));
        foreach (var dep in info.Deps)
        {
            var module = dep.Replace ?? dep;
            // A replacement by a directory (../fork) has no version and no identity a feed could name.
            if (dep.Replace is { } r && (r.Path.StartsWith('.') || r.Path.StartsWith('/'))) continue;
            sink.Package(Module(file, module.Path, module.Version == "(devel)" ? "" : module.Version));
        }
        if (info.Main is { Path.Length: > 0 } main)
        {
            var version = main.Version == "(devel)" ? "" : main.Version;
            if (version.Length == 0 || version.StartsWith("v0.0.0", StringComparison.Ordinal))
            {
                var stamped = LdflagsVersion.Find(main.Path, info.Settings);
                if (stamped is not null) version = stamped;
            }
            sink.Package(Module(file, main.Path, version));
        }
    }

    /// <summary>"go1.22.3 X:boringcrypto" → "v1.22.3"; development toolchains have no release to match.</summary>
    internal static string? StdlibVersion(string goVersion)
    {
        if (!goVersion.StartsWith("go1", StringComparison.Ordinal)) return null;
        var version = goVersion[2..];
        var space = version.IndexOf(' ', StringComparison.Ordinal);
        if (space >= 0) version = version[..space];
        return "v" + version;
    }

    private Package Module(LayerFile file, string path, string version)
    {
        // purl golang: the module path's last element is the name, the rest the namespace (golang.org/x + net).
        var slash = path.LastIndexOf('/');
        return new Package
        {
            Type = PurlType.Golang,
            Namespace = slash > 0 ? path[..slash] : null,
            Name = slash > 0 ? path[(slash + 1)..] : path,
            Version = version,
            Path = file.Path,
            Detector = Name,
        };
    }
}
