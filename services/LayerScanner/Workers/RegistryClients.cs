using System.Collections.Concurrent;
using SupplyChainMesh.Oci.Registry;

namespace SupplyChainMesh.LayerScanner.Workers;

/// <summary>One client per registry host for the life of the worker: connections and bearer tokens are reused.</summary>
public sealed class RegistryClients(RegistryClientOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<string, RegistryClient> _clients = new(StringComparer.OrdinalIgnoreCase);

    public RegistryClient For(string registry) => _clients.GetOrAdd(registry, r => new RegistryClient(r, options));

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
    }
}
