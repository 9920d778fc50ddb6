using System.Linq.Expressions;
using System.Reflection;
using System.Security.Claims;

namespace SupplyChainMesh.ServiceDefaults;

/// <summary>
/// The forwarded caller's read access as a query predicate, so a list is filtered by the database BEFORE its page
/// limit: a reader with few grants gets a full page of what it may read, not a short or empty one. The grants become
/// <c>repository LIKE 'dev/%'</c> for a namespace (<c>dev/*</c>), <c>repository = 'dev/app'</c> for a repository,
/// nothing at all for <c>*</c> or an administrator; without a forwarded identity the query is unchanged.
/// </summary>
public static class ReadableRepositoryQuery
{
    private static readonly MethodInfo StartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;

    /// <summary>Keeps the rows where the caller may read at least one of <paramref name="repositories"/> (e.g. a
    /// promotion's source or target), by the same rules as <see cref="ForwardedIdentityExtensions.CanAccess"/>.</summary>
    public static IQueryable<T> WhereReadable<T>(this IQueryable<T> query, ClaimsPrincipal user, params Expression<Func<T, string>>[] repositories)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(user);
        if (user.ReadsEverything()) return query;
        var prefixes = new List<string>();
        var exact = new List<string>();
        foreach (var claim in user.FindAll(ForwardedIdentityExtensions.GrantClaim))
        {
            // Every level (read, read-write, admin) includes read; an unknown level grants nothing, as in CanAccess.
            var eq = claim.Value.LastIndexOf('=');
            if (eq <= 0 || claim.Value[(eq + 1)..] is not ("read" or "read-write" or "admin")) continue;
            var pattern = claim.Value[..eq];
            if (pattern.EndsWith("/*", StringComparison.Ordinal)) prefixes.Add(pattern[..^1]);
            else exact.Add(pattern);
        }

        var row = Expression.Parameter(typeof(T), "row");
        Expression? any = null;
        foreach (var selector in repositories)
        {
            var repository = new ParameterReplacer(selector.Parameters[0], row).Visit(selector.Body);
            foreach (var prefix in prefixes.Distinct(StringComparer.Ordinal))
                any = Or(any, Expression.Call(repository, StartsWith, Expression.Constant(prefix)));
            foreach (var name in exact.Distinct(StringComparer.Ordinal))
                any = Or(any, Expression.Equal(repository, Expression.Constant(name)));
        }
        // No grant at all: nothing is readable.
        return query.Where(Expression.Lambda<Func<T, bool>>(any ?? Expression.Constant(false), row));
    }

    private static Expression Or(Expression? left, Expression right) => left is null ? right : Expression.OrElse(left, right);

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
