namespace SupplyChainMesh.Analysis.Versions;

/// <summary>
/// A version string that a scheme cannot order. Carries the scheme and the offending text so a feed or matcher can
/// report it as a problem instead of crashing.
/// </summary>
public sealed class VersionFormatException : FormatException
{
    public VersionFormatException()
        : this("?", string.Empty, "invalid version")
    {
    }

    public VersionFormatException(string message)
        : this("?", string.Empty, message)
    {
    }

    public VersionFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Scheme = "?";
        Version = string.Empty;
        Reason = message;
    }

    public VersionFormatException(string scheme, string version, string reason)
        : base($"'{version}' is not a valid {scheme} version: {reason}.")
    {
        Scheme = scheme;
        Version = version;
        Reason = reason;
    }

    /// <summary>The scheme's <see cref="IVersionScheme.Name"/>.</summary>
    public string Scheme { get; }

    /// <summary>The text that failed to parse.</summary>
    public string Version { get; }

    /// <summary>What is wrong, in the words of the ecosystem's own tool where it has them.</summary>
    public string Reason { get; }
}
