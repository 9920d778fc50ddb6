namespace SupplyChainMesh.Policy.Patterns;

/// <summary>
/// Allocation-free slicing of package URLs for matching: the purl without qualifiers/subpath, and without version.
/// </summary>
public static class PurlText
{
    /// <summary><c>pkg:deb/debian/openssl@3.0.11?arch=amd64</c> becomes <c>pkg:deb/debian/openssl@3.0.11</c>.</summary>
    public static ReadOnlySpan<char> WithoutQualifiers(ReadOnlySpan<char> purl)
    {
        var end = purl.IndexOfAny('?', '#');
        return end < 0 ? purl : purl[..end];
    }

    /// <summary><c>pkg:deb/debian/openssl@3.0.11?arch=amd64</c> becomes <c>pkg:deb/debian/openssl</c>.</summary>
    public static ReadOnlySpan<char> WithoutVersion(ReadOnlySpan<char> purl)
    {
        purl = WithoutQualifiers(purl);
        var at = purl.LastIndexOf('@');
        // An '@' before the last '/' belongs to the namespace (an unencoded npm scope), not to the version.
        return at > purl.LastIndexOf('/') ? purl[..at] : purl;
    }

    /// <summary>
    /// Matches a package purl against a pattern: a glob over the purl without qualifiers when the pattern names a
    /// version (has '@' after its last '/'), else over the purl without version. Case-insensitive, as purl types
    /// and most names are.
    /// </summary>
    public static bool Matches(string pattern, string purl)
    {
        var patternNamesVersion = pattern.LastIndexOf('@') > pattern.LastIndexOf('/');
        var subject = patternNamesVersion ? WithoutQualifiers(purl) : WithoutVersion(purl);
        var patternBody = WithoutQualifiers(pattern);
        return patternBody.Length == pattern.Length
            ? GlobPattern.IsMatch(pattern, subject, ignoreCase: true)
            : GlobPattern.IsMatch(patternBody.ToString(), subject, ignoreCase: true);
    }
}
