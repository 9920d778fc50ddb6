using System.Net;
using System.Net.Sockets;

namespace SupplyChainMesh.Oci.Tests.Infrastructure;

/// <summary>
/// Ports this test project may listen on: 5102-5109 (the registry under test is SCM_REGISTRY), or the range in
/// SCM_OCI_TEST_PORTS ("first-last"). Each is handed out once per run and checked to be free.
/// </summary>
internal static class TestPorts
{
    private static readonly object Gate = new();
    private static readonly Queue<int> Free = new(Range());

    public static int Take()
    {
        lock (Gate)
        {
            while (Free.TryDequeue(out var port))
            {
                if (IsFree(port)) return port;
            }
        }
        throw new InvalidOperationException("No free test port left in the range (5102-5109 or SCM_OCI_TEST_PORTS).");
    }

    private static IEnumerable<int> Range()
    {
        var (first, last) = (5102, 5109);
        if (Environment.GetEnvironmentVariable("SCM_OCI_TEST_PORTS") is { Length: > 0 } r && r.Split('-') is [var a, var b])
            (first, last) = (int.Parse(a), int.Parse(b));
        return Enumerable.Range(first, last - first + 1);
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
