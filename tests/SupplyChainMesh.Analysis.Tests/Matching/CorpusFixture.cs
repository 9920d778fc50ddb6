using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Versions;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Matching;

/// <summary>The whole real feed corpus (<c>../shared/feeds</c>) loaded once for all corpus tests.</summary>
public sealed class CorpusFixture : IAsyncLifetime
{
    public VulnerabilityIndex Index { get; private set; } = null!;

    public FeedLoadReport Report { get; private set; } = null!;

    public async Task InitializeAsync() =>
        (Index, Report) = await FeedCorpus.LoadAsync(RepositoryLayout.Feeds, VersionSchemes.ForOsvEcosystem);

    public Task DisposeAsync() => Task.CompletedTask;
}
