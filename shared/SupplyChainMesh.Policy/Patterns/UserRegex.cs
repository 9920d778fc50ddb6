using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace SupplyChainMesh.Policy.Patterns;

/// <summary>
/// Regular expressions written by users (tag criteria). Compiled once per pattern and always run with a timeout,
/// so a catastrophic pattern costs one failed criterion, not a stuck evaluator.
/// </summary>
public static class UserRegex
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);
    private const int CacheLimit = 1024;
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    public static Regex Get(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var regex)) return regex;
        if (Cache.Count > CacheLimit) Cache.Clear();
        regex = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        Cache[pattern] = regex;
        return regex;
    }

    /// <summary>Why the pattern does not compile, or null when it does.</summary>
    public static string? Problem(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern)) return "A regular expression is required.";
        try
        {
            _ = Get(pattern);
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"'{pattern}' is not a valid regular expression: {ex.Message}";
        }
    }
}
