using System.Collections.Concurrent;

namespace SupplyChainMesh.Oci.Registry;

/// <summary>One <see cref="RegistryClient"/> per registry host for the life of a service: connections and bearer
/// tokens are reused across messages and requests.</summary>
public sealed class RegistryClientPool(Func<string, RegistryClientOptions> optionsFor) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<RegistryClient>> _clients = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="settings">The service's <c>Registry</c> section.</param>
    /// <param name="connect">Opens every connection (a service's outbound allow-list check).</param>
    public RegistryClientPool(RegistrySettings settings, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> connect)
        : this(r =>
        {
            var options = settings.OptionsFor(r);
            options.ConnectCallback = connect;
            return options;
        })
    {
    }

    /// <exception cref="ArgumentException">Not a registry host.</exception>
    public RegistryClient For(string registry) =>
        _clients.GetOrAdd(registry, r => new Lazy<RegistryClient>(() => new RegistryClient(r, optionsFor(r)))).Value;

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated)) client.Value.Dispose();
    }
}
