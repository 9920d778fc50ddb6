using System.Collections.Concurrent;
using SupplyChainMesh.Analysis.Distributions;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Tests.LanguageDetection;

/// <summary>Keeps everything detectors report, for assertions.</summary>
internal sealed class CollectingSink : IDetectionSink
{
    public ConcurrentQueue<Package> Packages { get; } = new();

    public ConcurrentQueue<(string Path, string Reason)> Problems { get; } = new();

    public void Package(Package package) => Packages.Enqueue(package);

    public void Distribution(Distribution distribution, string path)
    {
    }

    public void OwnedFile(string path)
    {
    }

    public void Problem(string path, string reason) => Problems.Enqueue((path, reason));
}
