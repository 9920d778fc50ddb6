using SupplyChainMesh.Gateway.Identity.Access;

namespace SupplyChainMesh.Gateway.Registry;

/// <summary>
/// One resource scope of the Docker registry token protocol: <c>repository:dev/app:pull,push</c> or
/// <c>registry:catalog:*</c>. The name sits between the first and the last colon (it may itself hold a colon only in
/// grammars we do not accept, so a name with one is refused).
/// </summary>
public sealed record RegistryScope(string Type, string Name, IReadOnlyList<string> Actions)
{
    public const string Repository = "repository";
    public const string Registry = "registry";
    public const string Pull = "pull";
    public const string Push = "push";
    public const string Delete = "delete";
    public const string All = "*";

    private static readonly string[] KnownActions = [Pull, Push, Delete, All];

    public override string ToString() => $"{Type}:{Name}:{string.Join(',', Actions)}";

    /// <summary>Parses one scope; <paramref name="error"/> says what is wrong when it returns false.</summary>
    public static bool TryParse(string text, out RegistryScope? scope, out string? error)
    {
        scope = null;
        error = null;
        if (text.Length is 0 or > 512) { error = "a scope must be 1 to 512 characters"; return false; }
        var first = text.IndexOf(':', StringComparison.Ordinal);
        var last = text.LastIndexOf(':');
        if (first <= 0 || last == first) { error = "a scope reads TYPE:NAME:ACTIONS"; return false; }
        var type = text[..first];
        var name = text[(first + 1)..last];
        var actions = text[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (actions.Length == 0) { error = "a scope names at least one action"; return false; }
        foreach (var action in actions)
        {
            if (Array.IndexOf(KnownActions, action) < 0) { error = $"unknown action '{Truncate(action)}'"; return false; }
        }
        switch (type)
        {
            case Repository when !RepositoryNames.IsValid(name):
                error = $"'{Truncate(name)}' is not a valid repository name";
                return false;
            case Repository:
                break;
            case Registry when name == "catalog":
                break;
            case Registry:
                error = "the only registry resource is 'catalog'";
                return false;
            default:
                error = $"unknown resource type '{Truncate(type)}'";
                return false;
        }
        scope = new RegistryScope(type, name, actions.Distinct(StringComparer.Ordinal).ToArray());
        return true;
    }

    /// <summary>Splits the <c>scope</c> parameters (repeated, or space-separated as OAuth2 sends them) and parses each.</summary>
    public static bool TryParseAll(IEnumerable<string?> values, out List<RegistryScope> scopes, out string? error)
    {
        scopes = [];
        error = null;
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value)) continue;
            foreach (var part in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!TryParse(part, out var scope, out error)) return false;
                scopes.Add(scope!);
                if (scopes.Count > 32) { error = "too many scopes (at most 32)"; return false; }
            }
        }
        return true;
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "...";
}
