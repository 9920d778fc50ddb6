using System.Net;
using System.Net.Sockets;

namespace SupplyChainMesh.Mesh.Tests.EndToEnd;

internal static class FreePort
{
    /// <summary>A loopback port nobody listens on now (the OS picks it; a race with another process is possible but rare).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
