using SupplyChainMesh.Analysis.Layers;

namespace SupplyChainMesh.Analysis.Elf;

/// <summary>
/// A detector that reads ELF executables through <see cref="ElfExecutablePass"/>. When several such detectors want the
/// same file (the Go and the cargo-auditable detectors want most executables), the layer reader makes one pass with the
/// union of their needs and hands each the result, instead of buffering the whole executable for two readers.
/// </summary>
internal interface IElfExecutableDetector : IPackageDetector
{
    ElfPassNeeds Needs { get; }

    /// <summary>Reports what <paramref name="scan"/> holds for this detector; malformed content is a problem, never thrown.</summary>
    void Report(LayerFile file, ElfExecutableScan scan, IDetectionSink sink);
}
