using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SupplyChainMesh.ServiceDefaults;

/// <summary>
/// A list endpoint answers a forwarded caller only with the items of repositories it may read (admins get all).
/// <c>UseForwardedIdentity</c> already refuses <c>?repository=</c> the caller cannot read; this covers a list without
/// one. Without a forwarded identity (not configured: tests, the mesh without a gateway) the list is unchanged.
/// The filter runs on the page the handler read: a list with a page limit also filters its query with
/// <see cref="ReadableRepositoryQuery.WhereReadable"/> before the limit (full pages); this filter stays as the check of
/// what actually leaves the service.
/// </summary>
public static class ReadableRepositoryFilter
{
    public static RouteHandlerBuilder OnlyReadableRepositories<T>(this RouteHandlerBuilder endpoint, params Func<T, string>[] repositories)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var user = context.HttpContext.User;
            if (user.ReadsEverything()) return result;
            return result is IEnumerable<T> items
                ? items.Where(item => repositories.Any(r => user.CanAccess(r(item), "read"))).ToList()
                : result;
        });
    }
}
