using SupplyChainMesh.Contracts;
using SupplyChainMesh.Ingest;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Ingestion;

/// <summary>An Ingest host on a broker virtual host of its own, with a probe that sees every ImagePushed published there
/// (started first, so none is missed).</summary>
public sealed class ProbedIngest : IAsyncDisposable
{
    private ProbedIngest(BusProbe<ImagePushed> probe, MeshHost<IngestOptions> host)
    {
        (Probe, Host, Client) = (probe, host, host.CreateClient());
    }

    public BusProbe<ImagePushed> Probe { get; }

    public MeshHost<IngestOptions> Host { get; }

    public HttpClient Client { get; }

    /// <param name="start">Starts the host on the virtual host it is given.</param>
    public static async Task<ProbedIngest> StartAsync(Func<string, Task<MeshHost<IngestOptions>>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var bus = await BackingServices.FreshVirtualHostAsync("ingest");
        var probe = await BusProbe<ImagePushed>.StartAsync(bus);
        return new ProbedIngest(probe, await start(bus));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Probe.DisposeAsync();
    }
}
