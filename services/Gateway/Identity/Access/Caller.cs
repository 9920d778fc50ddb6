namespace SupplyChainMesh.Gateway.Identity.Access;

/// <summary>Who is calling and what their teams grant them: everything an access decision needs, nothing more.</summary>
public sealed record Caller(Guid UserId, string Name, bool IsAdmin, bool IsRobot, IReadOnlyList<Grant> Grants)
{
    /// <summary>The highest level any of the caller's grants gives on <paramref name="repository"/>; null for none.
    /// Admins have admin everywhere.</summary>
    public AccessLevel? LevelOn(string repository)
    {
        if (IsAdmin) return AccessLevel.Admin;
        AccessLevel? best = null;
        foreach (var grant in Grants)
        {
            if (grant.Matches(repository) && (best is null || grant.Level > best)) best = grant.Level;
        }
        return best;
    }

    public bool Can(string repository, AccessLevel needed) => LevelOn(repository) >= needed;

    /// <summary>Admin of a whole namespace: an admin grant on <c>*</c> or <c>NAMESPACE/*</c> (admin of one repository
    /// is not admin of its namespace).</summary>
    public bool IsNamespaceAdmin(string ns) =>
        IsAdmin || Grants.Any(g => g.Level == AccessLevel.Admin && (g.Pattern == "*" || g.Pattern == ns + "/*"));

    /// <summary>Admin of at least one namespace: may reach the policy and exception APIs, which then check the target.</summary>
    public bool IsAnyNamespaceAdmin => IsAdmin || Grants.Any(g => g.Level == AccessLevel.Admin && g.Pattern.EndsWith('*'));
}
