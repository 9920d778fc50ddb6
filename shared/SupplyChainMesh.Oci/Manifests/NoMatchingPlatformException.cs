namespace SupplyChainMesh.Oci.Manifests;

/// <summary>An index has no image for the requested platform; the message lists what it has.</summary>
public sealed class NoMatchingPlatformException : Exception
{
    public NoMatchingPlatformException() { }

    public NoMatchingPlatformException(string message) : base(message) { }

    public NoMatchingPlatformException(string message, Exception innerException) : base(message, innerException) { }

    public NoMatchingPlatformException(Platform wanted, IReadOnlyList<Platform> available)
        : base($"The index has no image for {wanted}; it has: {(available.Count == 0 ? "(none)" : string.Join(", ", available))}.")
    {
        Wanted = wanted;
        Available = available;
    }

    public Platform? Wanted { get; }

    public IReadOnlyList<Platform> Available { get; } = [];
}
