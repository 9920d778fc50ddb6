using System.Security.Claims;
using SupplyChainMesh.Policy.Promotion;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.PolicyEngine.Apis;

/// <summary>
/// The service's own check of a policy write (issue 7): only admins of the namespace a policy promotes into may create,
/// change or delete it. The caller comes from the gateway's forwarded identity; when that is not configured (tests, the
/// end-to-end mesh without a gateway) no caller is signed in and the gateway's coarse check is the only one.
/// </summary>
internal static class PolicyAccess
{
    public static IResult? Refusal(ClaimsPrincipal user, PromotionPolicy policy)
    {
        if (user.Identity?.IsAuthenticated != true || policy.Action is not { } action) return null;
        var ns = TargetNamespace(action.TargetRepository);
        return user.IsNamespaceAdmin(ns)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not an admin of the target namespace",
                detail: $"Only admins of '{ns}' may create, change or delete a policy that promotes into '{action.TargetRepository}'.");
    }

    /// <summary>The first path segment of the target, after a registry host if it names one (<c>host:5000/qa/app</c>).</summary>
    internal static string TargetNamespace(string target)
    {
        var parts = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 1 && (parts[0].Contains('.', StringComparison.Ordinal) || parts[0].Contains(':', StringComparison.Ordinal) || parts[0] == "localhost"))
            parts = parts[1..];
        return parts.Length > 0 ? parts[0] : "";
    }
}
