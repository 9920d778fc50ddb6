using System.Net;
using SupplyChainMesh.Oci;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Oci.Registry;

namespace SupplyChainMesh.Promoter.Promotion;

/// <summary>Sorts what a registry operation threw: a fault that may pass (timeout, refused connection, 429, 5xx) is
/// retried with back-off; one that will not (unknown manifest, denied, bad tag, digest mismatch) fails at once.</summary>
public static class RegistryFaults
{
    /// <summary>True for everything a promotion handles as a registry problem (the rest are bugs and go to <c>_error</c>).</summary>
    public static bool IsRegistryFault(Exception exception) =>
        exception is RegistryException or HttpRequestException or IOException or DigestMismatchException
            or ManifestFormatException or ImageReferenceException or ArgumentException;

    public static bool IsTransient(Exception exception) => exception switch
    {
        RegistryNotFoundException or RegistryAuthenticationException => false,
        RegistryTimeoutException => true,
        RegistryException r => r.StatusCode is null or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError,
        HttpRequestException or IOException => true,
        _ => false,
    };
}
