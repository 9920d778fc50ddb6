using SupplyChainMesh.Gateway.Identity.Access;

namespace SupplyChainMesh.Gateway.Proxy;

/// <summary>
/// The gateway's coarse check of a proxied call; each service checks again, finely, what it owns (the caller's
/// grants travel in the forwarded identity). Registry webhooks pass: Ingest checks their shared secret. Everything
/// else needs a caller; a call naming a repository (<c>?repository=</c>) needs read on it; writes to policies,
/// exceptions, VEX and admission rules need admin of some namespace (the service checks which); writes to feeds and
/// notification subscriptions need the admin role.
/// </summary>
public static class RouteAccessRules
{
    public enum Verdict
    {
        Allow,
        Unauthenticated,
        Forbidden,
        BadRequest,
    }

    public readonly record struct Decision(Verdict Verdict, string? Reason = null)
    {
        public static readonly Decision Allowed = new(Verdict.Allow);
    }

    private static readonly string[] NamespaceAdminWrites = ["/api/policies", "/api/exceptions", "/api/vex", "/api/admission/rules"];
    private static readonly string[] AnyCallerWrites = ["/api/images/scan", "/api/policies/dry-run", "/api/admission/validate"];

    public static Decision Check(Caller? caller, string method, PathString path, string? repository)
    {
        if (path.StartsWithSegments("/api/registry", StringComparison.OrdinalIgnoreCase)) return Decision.Allowed;
        if (caller is null) return new Decision(Verdict.Unauthenticated, "Sign in with an API token or an identity provider's bearer token.");

        if (repository is not null)
        {
            if (!RepositoryNames.IsValid(repository)) return new Decision(Verdict.BadRequest, "The repository parameter is not a valid repository name.");
            if (!caller.Can(repository, AccessLevel.Read)) return new Decision(Verdict.Forbidden, $"No read access to '{repository}'.");
        }

        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)) return Decision.Allowed;

        if (AnyCallerWrites.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))) return Decision.Allowed;
        if (NamespaceAdminWrites.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            return caller.IsAnyNamespaceAdmin
                ? Decision.Allowed
                : new Decision(Verdict.Forbidden, "Changing policies, exceptions, VEX or admission rules needs admin of a namespace.");
        }
        return caller.IsAdmin ? Decision.Allowed : new Decision(Verdict.Forbidden, "This change needs the admin role.");
    }
}
