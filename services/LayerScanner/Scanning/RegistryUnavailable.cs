using SupplyChainMesh.Oci.Registry;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>Sorts what reading a manifest threw: a registry that is down, slow or failing (refused connection, timeout,
/// 5xx, a dropped stream) may come back, so the scan waits and resolves again instead of losing the push.</summary>
public static class RegistryUnavailable
{
    public static bool Is(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        ImageResolutionException => false,
        RegistryException or HttpRequestException or IOException or TimeoutException => true,
        // An HttpClient timeout surfaces as a cancellation that nobody asked for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
