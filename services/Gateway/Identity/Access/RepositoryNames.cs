using System.Text.RegularExpressions;

namespace SupplyChainMesh.Gateway.Identity.Access;

/// <summary>
/// The Distribution grammar of repository names (path components of lower-case alphanumerics joined by single
/// separators, joined by '/'). Anything else is refused before it reaches a permission check: '..', leading slashes,
/// upper case, percent-encoding and empty components cannot name a repository, so they cannot sneak past a pattern.
/// </summary>
public static partial class RepositoryNames
{
    public const int MaxLength = 255;

    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength } && NameRegex().IsMatch(name);

    /// <summary>A permission pattern: <c>*</c> (everything), <c>NAMESPACE/*</c> (everything under a namespace) or an
    /// exact repository name.</summary>
    public static bool IsValidPattern(string? pattern) =>
        pattern == "*"
        || (pattern is { Length: > 2 } && pattern.EndsWith("/*", StringComparison.Ordinal) && IsValid(pattern[..^2]))
        || IsValid(pattern);

    /// <summary>The namespace (organization) of a repository: its first path segment.</summary>
    public static string NamespaceOf(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? repository : repository[..slash];
    }

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex NameRegex();
}
