namespace SupplyChainMesh.Policy.Patterns;

/// <summary>
/// Matches a repository against a policy's or rule's repository pattern: an exact repository (<c>dev/app</c>),
/// a namespace (<c>dev/*</c>: one level; <c>dev/**</c>: any depth) or <c>*</c>/<c>**</c> for everything.
/// A pattern whose first segment is a registry host (contains <c>.</c> or <c>:</c>, or is <c>localhost</c>)
/// is matched against <c>registry/repository</c>; any other against the repository path alone.
/// </summary>
public static class RepositoryPattern
{
    public static bool Matches(string pattern, string registry, string repository)
    {
        if (pattern is "*" or "**") return true;
        if (NamesRegistry(pattern))
        {
            var full = string.IsNullOrEmpty(registry) ? repository : $"{registry}/{repository}";
            return GlobPattern.IsMatch(pattern, full, pathSegments: true, ignoreCase: false);
        }
        return GlobPattern.IsMatch(pattern, repository, pathSegments: true, ignoreCase: false);
    }

    /// <summary>True when the pattern starts with a registry host, as Docker decides it for references.</summary>
    public static bool NamesRegistry(string pattern)
    {
        var slash = pattern.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0) return false;
        var first = pattern.AsSpan(0, slash);
        return first.Contains('.') || first.Contains(':') || first.SequenceEqual("localhost");
    }

    /// <summary>A problem with the pattern, or null when it is usable.</summary>
    public static string? Problem(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return "A repository or namespace pattern is required.";
        if (pattern.Length > 255) return "The pattern is longer than 255 characters.";
        foreach (var c in pattern)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-' or '/' or '*' or '?' or ':'))
                return $"'{pattern}' contains '{c}': repository patterns use lowercase letters, digits, '.', '_', '-', '/', ':' and the wildcards '*' and '?'.";
        }
        if (pattern.StartsWith('/') || pattern.EndsWith('/') || pattern.Contains("//", StringComparison.Ordinal))
            return $"'{pattern}' has an empty path segment.";
        return null;
    }
}
