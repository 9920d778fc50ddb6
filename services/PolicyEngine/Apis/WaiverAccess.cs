using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Policy.Exceptions;
using SupplyChainMesh.Policy.Vex;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.PolicyEngine.Apis;

/// <summary>
/// The service's own check of exception and VEX writes (issue 7), from the gateway's forwarded identity as
/// <see cref="PolicyAccess"/> does for policies: a waiver may be created or deleted only by admins of every namespace
/// whose images it can clear. A repository pattern reaches its first segment's namespace; an image digest the
/// namespaces of the repositories it was evaluated in; anything that reaches every image (a global exception, a
/// wildcard namespace, a VEX statement about a package purl, an image this service has never seen) needs the admin
/// role. Without a forwarded identity (not configured) there is no caller and the gateway's coarse check is the only one.
/// </summary>
internal static class WaiverAccess
{
    /// <summary>The namespaces a waiver reaches; <see cref="Everything"/> when it can clear any image.</summary>
    private sealed class Reach
    {
        public HashSet<string> Namespaces { get; } = new(StringComparer.Ordinal);
        public bool Everything { get; set; }
        public List<string> Digests { get; } = [];

        public void AddPattern(string? pattern)
        {
            var ns = PolicyAccess.TargetNamespace(pattern ?? "");
            if (ns.Length == 0 || ns.Contains('*', StringComparison.Ordinal) || ns.Contains('?', StringComparison.Ordinal)) Everything = true;
            else Namespaces.Add(ns);
        }
    }

    public static async Task<IResult?> ExceptionRefusalAsync(ClaimsPrincipal user, PolicyDbContext db, ExceptionScope scope, string? target, CancellationToken ct)
    {
        if (!IsChecked(user)) return null;
        var reach = new Reach();
        switch (scope)
        {
            case ExceptionScope.Repository: reach.AddPattern(target); break;
            case ExceptionScope.Image: reach.Digests.Add(target ?? ""); break;
            default: reach.Everything = true; break;
        }
        return await DecideAsync(user, db, reach, "exception", ct);
    }

    public static async Task<IResult?> VexRefusalAsync(ClaimsPrincipal user, PolicyDbContext db, IReadOnlyList<VexStatement> statements, CancellationToken ct)
    {
        if (!IsChecked(user)) return null;
        var reach = new Reach();
        foreach (var product in statements.SelectMany(s => s.Products)) AddProduct(reach, product.Id);
        return await DecideAsync(user, db, reach, "VEX document", ct);
    }

    /// <summary>What <see cref="VexMatcher"/> would match a product id against: a digest, a <c>pkg:oci</c> purl (by
    /// digest or <c>repository_url</c>), a package purl (in every image) or a repository name.</summary>
    private static void AddProduct(Reach reach, string id)
    {
        if (id.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase))
        {
            reach.Digests.Add(id);
            return;
        }
        if (!id.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase))
        {
            reach.AddPattern(id);
            return;
        }
        if (!id.StartsWith("pkg:oci/", StringComparison.OrdinalIgnoreCase))
        {
            reach.Everything = true; // a package purl matches that package in any image
            return;
        }
        PackageUrl purl;
        try
        {
            purl = PackageUrl.Parse(id);
        }
        catch (FormatException)
        {
            reach.Everything = true; // matches nothing, but an unreadable product is not waved through
            return;
        }
        if (purl.Version is { } digest) reach.Digests.Add(digest);
        else if (purl.Qualifiers is not null && purl.Qualifiers.TryGetValue("repository_url", out var url)) reach.AddPattern(url);
        else reach.Everything = true;
    }

    private static async Task<IResult?> DecideAsync(ClaimsPrincipal user, PolicyDbContext db, Reach reach, string what, CancellationToken ct)
    {
        if (reach.Digests.Count > 0 && !reach.Everything)
        {
            var digests = reach.Digests.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var seen = await db.Images.AsNoTracking().Where(i => digests.Contains(i.Digest))
                .Select(i => new { i.Digest, i.Repository }).Distinct().ToListAsync(ct);
            // A digest never evaluated here could be any image: only the admin role may waive findings for it.
            if (digests.Any(d => !seen.Any(s => string.Equals(s.Digest, d, StringComparison.OrdinalIgnoreCase)))) reach.Everything = true;
            foreach (var image in seen) reach.AddPattern(image.Repository);
        }
        if (reach.Everything)
        {
            return user.HasClaim(ForwardedIdentityExtensions.AdminClaim, "true")
                ? null
                : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Needs the admin role",
                    detail: $"This {what} can clear findings in any repository (global, a wildcard namespace, a package in every image or an image not evaluated here): only an administrator may create or delete it.");
        }
        var missing = reach.Namespaces.Where(ns => !user.IsNamespaceAdmin(ns)).Order(StringComparer.Ordinal).ToList();
        return missing.Count == 0
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not an admin of the namespace",
                detail: $"Only admins of '{string.Join("', '", missing)}' may create or delete this {what}.");
    }

    private static bool IsChecked(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true;
}
