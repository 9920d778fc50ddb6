using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace SupplyChainMesh.Policy.Patterns;

/// <summary>
/// Shell-style globs: <c>*</c> any run of characters, <c>?</c> one character, everything else literal.
/// In path globs (repositories) <c>*</c> stays inside one <c>/</c>-separated segment and <c>**</c> crosses segments,
/// so <c>dev/*</c> is the repositories directly under <c>dev</c> and <c>dev/**</c> every repository below it.
/// Globs compile once to non-backtracking regexes (linear time whatever the input), cached by pattern.
/// </summary>
public static class GlobPattern
{
    private const int CacheLimit = 4096;
    private static readonly ConcurrentDictionary<(string Pattern, bool Path, bool IgnoreCase), Regex> Cache = new();

    /// <summary>True when the whole <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(string pattern, ReadOnlySpan<char> text, bool pathSegments = false, bool ignoreCase = false)
    {
        if (pattern.AsSpan().IndexOfAny('*', '?') < 0)
            return ignoreCase ? text.Equals(pattern, StringComparison.OrdinalIgnoreCase) : text.SequenceEqual(pattern);
        return Compile(pattern, pathSegments, ignoreCase).IsMatch(text);
    }

    internal static Regex Compile(string pattern, bool pathSegments, bool ignoreCase)
    {
        if (Cache.TryGetValue((pattern, pathSegments, ignoreCase), out var cached)) return cached;
        if (Cache.Count > CacheLimit) Cache.Clear();
        var regex = new Regex(
            ToRegex(pattern, pathSegments),
            RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None));
        Cache[(pattern, pathSegments, ignoreCase)] = regex;
        return regex;
    }

    private static string ToRegex(string pattern, bool pathSegments)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*')
            {
                var doubleStar = i + 1 < pattern.Length && pattern[i + 1] == '*';
                if (doubleStar) i++;
                sb.Append(!pathSegments || doubleStar ? ".*" : "[^/]*");
            }
            else if (c == '?')
            {
                sb.Append(pathSegments ? "[^/]" : ".");
            }
            else
            {
                sb.Append(Regex.Escape(c.ToString()));
            }
        }
        return sb.Append('$').ToString();
    }
}
