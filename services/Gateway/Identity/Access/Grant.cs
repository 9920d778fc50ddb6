namespace SupplyChainMesh.Gateway.Identity.Access;

/// <summary>An access level on a repository pattern, as one of the caller's teams holds it.</summary>
public readonly record struct Grant(string Pattern, AccessLevel Level)
{
    /// <summary>The one pattern rule, shared with the services that check forwarded identities again.</summary>
    public bool Matches(string repository) => ServiceDefaults.ForwardedIdentityExtensions.PatternMatches(Pattern, repository);

    /// <summary>The wire form carried in claims: <c>dev/*=read-write</c>.</summary>
    public override string ToString() => $"{Pattern}={Level.ToWire()}";

    public static bool TryParse(string text, out Grant grant)
    {
        grant = default;
        var eq = text.LastIndexOf('=');
        if (eq <= 0 || !AccessLevels.TryParse(text[(eq + 1)..], out var level)) return false;
        var pattern = text[..eq];
        if (!RepositoryNames.IsValidPattern(pattern)) return false;
        grant = new Grant(pattern, level);
        return true;
    }
}
