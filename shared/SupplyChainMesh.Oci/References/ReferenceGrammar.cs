using System.Text.RegularExpressions;

namespace SupplyChainMesh.Oci.References;

/// <summary>
/// The grammar of the OCI Distribution spec and Docker's reference package: repository names, tags, digests and
/// registry hosts. Repository components must start and end with [a-z0-9], so '..', '.' and empty segments
/// (path traversal once the name lands in a URL path) cannot pass.
/// </summary>
public static partial class ReferenceGrammar
{
    /// <summary>Docker limits the whole name (registry and repository) to 255 characters.</summary>
    public const int MaxNameLength = 255;

    public const int MaxTagLength = 128;

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryRegex();

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestRegex();

    // host = domain-name | IPv4 | [IPv6], optional :port. Docker's domain grammar.
    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex RegistryRegex();

    // org.opencontainers.image.ref.name: components of alphanumerics joined by separators, '/'-separated.
    [GeneratedRegex(@"^[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex OciRefNameRegex();

    public static bool IsValidRepository(string name) =>
        name.Length is > 0 and <= MaxNameLength && RepositoryRegex().IsMatch(name);

    public static bool IsValidTag(string tag) => TagRegex().IsMatch(tag);

    public static bool IsValidRegistry(string host) => host.Length is > 0 and <= MaxNameLength && RegistryRegex().IsMatch(host);

    public static bool IsValidOciRefName(string name) => name.Length is > 0 and <= MaxNameLength && OciRefNameRegex().IsMatch(name);

    /// <summary>A digest string; sha256 and sha512 must carry the right number of lowercase hex digits.</summary>
    public static bool IsValidDigest(string digest)
    {
        if (!DigestRegex().IsMatch(digest)) return false;
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        var algorithm = digest.AsSpan(0, colon);
        var encoded = digest.AsSpan(colon + 1);
        return algorithm switch
        {
            "sha256" => encoded.Length == 64 && IsLowerHex(encoded),
            "sha512" => encoded.Length == 128 && IsLowerHex(encoded),
            _ => encoded.Length >= 32,
        };
    }

    private static bool IsLowerHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))) return false;
        }
        return true;
    }
}
