namespace SupplyChainMesh.Oci;

/// <summary>Content did not hash to the digest (or did not have the size) that its descriptor promised.</summary>
public sealed class DigestMismatchException : Exception
{
    public DigestMismatchException() { }

    public DigestMismatchException(string message) : base(message) { }

    public DigestMismatchException(string message, Exception innerException) : base(message, innerException) { }

    public DigestMismatchException(string expected, string? actual, string message) : base(message)
    {
        Expected = expected;
        Actual = actual;
    }

    public string? Expected { get; }

    /// <summary>The digest the content really has; null when the size was already wrong.</summary>
    public string? Actual { get; }
}
