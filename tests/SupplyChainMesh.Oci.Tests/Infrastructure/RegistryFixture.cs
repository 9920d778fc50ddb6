using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Oci.Tests.Infrastructure;

/// <summary>
/// The registry under test (SCM_REGISTRY) with real images pushed by skopeo into a namespace of this run, so runs do
/// not see each other: <c>{ns}/dev/app:latest</c> is bookworm-minbase, <c>{ns}/dev/apps:latest</c> bookworm-apps.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public string Registry { get; } = BackingServices.Registry;

    public string Namespace { get; } = "scm-oci-" + Guid.NewGuid().ToString("N")[..10];

    public string DevApp => $"{Namespace}/dev/app";

    public string DevApps => $"{Namespace}/dev/apps";

    public string Repo(string name) => $"{Namespace}/{name}";

    public RegistryClient CreateClient(RegistryClientOptions? options = null) => new(Registry, options ?? new RegistryClientOptions { PlainHttp = true });

    public async Task InitializeAsync()
    {
        await Tools.SkopeoPushAsync("bookworm-minbase", Registry, DevApp + ":latest");
        await Tools.SkopeoPushAsync("bookworm-apps", Registry, DevApps + ":latest");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "registry";
}
