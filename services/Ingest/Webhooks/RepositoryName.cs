using System.Text.RegularExpressions;

namespace SupplyChainMesh.Ingest.Webhooks;

/// <summary>The Distribution spec's repository name grammar: path components of lowercase alphanumerics joined by
/// '.', '_', '__' or '-' runs, separated by '/'. Rejects '..', absolute paths and anything else a path could hide.</summary>
public static partial class RepositoryName
{
    [GeneratedRegex("^[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex Grammar();

    public static bool IsValid(string? name) => name is { Length: > 0 and <= 255 } && Grammar().IsMatch(name);
}
