using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// Finds packages of one kind in the files of a layer ("detect packages in a layer"). One per ecosystem folder
/// (<c>Debian/DpkgStatusDetector</c>, <c>Npm/PackageJsonDetector</c>, ...). The layer reader streams the tar once and
/// asks every detector about every regular file, so <see cref="Wants"/> must be cheap and allocation-free.
/// </summary>
public interface IPackageDetector
{
    /// <summary>A stable short name, stored with each package (<c>dpkg</c>, <c>npm</c>).</summary>
    string Name { get; }

    /// <summary>Bumped whenever what the detector reports changes: it is part of the layer cache key.</summary>
    int Version { get; }

    /// <summary>Whether the file's content is needed. Called for every regular file of every layer.</summary>
    bool Wants(in LayerFile file);

    /// <summary>
    /// Reads one wanted file (the stream is forward-only and bounded to the entry) and reports what it holds to
    /// <paramref name="sink"/>. Malformed content is reported with <see cref="IDetectionSink.Problem"/>, never thrown.
    /// </summary>
    ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken);
}

/// <summary>Where detectors put what they find in one layer.</summary>
public interface IDetectionSink
{
    /// <summary>A package. OS packages may leave <see cref="Package.Namespace"/> and <see cref="Package.Distro"/> empty:
    /// os-release can sit in another layer, so the squash fills them in from the image's distribution.</summary>
    void Package(Package package);

    /// <summary>The operating system, from <c>etc/os-release</c> and friends.</summary>
    void Distribution(Distributions.Distribution distribution, string path);

    /// <summary>A file the OS package manager owns (from dpkg's <c>info/*.list</c>, apk's <c>R:</c> lines, rpm's file lists):
    /// language packages found inside such files are not reported twice by default, as Trivy does.</summary>
    void OwnedFile(string path);

    /// <summary>Something malformed that was skipped, with the path and why.</summary>
    void Problem(string path, string reason);
}
