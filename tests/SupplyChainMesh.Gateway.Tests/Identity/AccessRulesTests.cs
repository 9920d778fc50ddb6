using SupplyChainMesh.Gateway.Identity.Access;
using SupplyChainMesh.Gateway.Proxy;
using SupplyChainMesh.Gateway.Registry;

namespace SupplyChainMesh.Gateway.Tests.Identity;

/// <summary>The pure rules: scope grammar, pattern matching, cutting scopes down, the gateway's route checks.</summary>
public sealed class AccessRulesTests
{
    private static readonly Caller Developer = new(Guid.NewGuid(), "dev1", false, false, [new Grant("dev/*", AccessLevel.ReadWrite)]);
    private static readonly Caller Qa = new(Guid.NewGuid(), "qa1", false, false, [new Grant("qa/*", AccessLevel.ReadWrite), new Grant("dev/*", AccessLevel.Read)]);
    private static readonly Caller DevAdmin = new(Guid.NewGuid(), "lead", false, false, [new Grant("dev/*", AccessLevel.Admin), new Grant("dev/app", AccessLevel.Read)]);
    private static readonly Caller Scanner = new(Guid.NewGuid(), "scanner", false, true, [new Grant("*", AccessLevel.Read)]);

    [Theory]
    [InlineData("dev/*", "dev/app", true)]
    [InlineData("dev/*", "dev/team/app", true)]
    [InlineData("dev/*", "dev", false)]
    [InlineData("dev/*", "devx/app", false)]
    [InlineData("dev/*", "qa/dev/app", false)]
    [InlineData("*", "prod/app", true)]
    [InlineData("qa/app", "qa/app", true)]
    [InlineData("qa/app", "qa/app2", false)]
    public void Patterns_match_a_namespace_or_one_repository(string pattern, string repository, bool matches) =>
        Assert.Equal(matches, new Grant(pattern, AccessLevel.Read).Matches(repository));

    [Fact]
    public void Levels_of_several_teams_add_up_to_the_highest()
    {
        Assert.Equal(AccessLevel.Admin, DevAdmin.LevelOn("dev/app"));
        Assert.True(DevAdmin.IsNamespaceAdmin("dev"));
        Assert.False(DevAdmin.IsNamespaceAdmin("qa"));
        Assert.Null(Developer.LevelOn("qa/app"));
        Assert.False(new Caller(Guid.NewGuid(), "x", false, false, [new Grant("dev/app", AccessLevel.Admin)]).IsNamespaceAdmin("dev"));
    }

    [Theory]
    [InlineData("repository:dev/app:pull,push", "repository", "dev/app", "pull,push")]
    [InlineData("repository:library/my-app_1.2__x:pull", "repository", "library/my-app_1.2__x", "pull")]
    [InlineData("registry:catalog:*", "registry", "catalog", "*")]
    [InlineData("repository:a/b/c:delete", "repository", "a/b/c", "delete")]
    public void Valid_scopes_parse(string text, string type, string name, string actions)
    {
        Assert.True(RegistryScope.TryParse(text, out var scope, out var error), error);
        Assert.Equal((type, name, actions), (scope!.Type, scope.Name, string.Join(',', scope.Actions)));
    }

    [Theory]
    [InlineData("repository:dev/../qa:pull")]
    [InlineData("repository:./qa:pull")]
    [InlineData("repository:dev//app:pull")]
    [InlineData("repository:dev/app/:pull")]
    [InlineData("repository:dev/App:pull")]
    [InlineData("repository:dev/app%2f..:pull")]
    [InlineData("repository:dev/app:pull,sudo")]
    [InlineData("repository:dev/app:")]
    [InlineData("repository:dev:app:pull")]
    [InlineData("registry:users:*")]
    [InlineData("plugin:x:pull")]
    [InlineData(":dev/app:pull")]
    public void Malformed_scopes_and_traversal_are_refused(string text) =>
        Assert.False(RegistryScope.TryParse(text, out _, out _));

    [Fact]
    public void Requested_scopes_are_cut_to_what_the_caller_may_do()
    {
        Assert.True(RegistryScope.TryParseAll(["repository:qa/app:pull,push repository:dev/app:pull,push,delete,*", "registry:catalog:*"], out var requested, out _));
        Assert.Equal(["repository:dev/app:pull,push"], ScopeGranter.Grant(Developer, requested).Select(s => s.ToString()));
        Assert.Equal(["repository:qa/app:pull,push", "repository:dev/app:pull"], ScopeGranter.Grant(Qa, requested).Select(s => s.ToString()));
        Assert.Equal(["repository:qa/app:pull", "repository:dev/app:pull"], ScopeGranter.Grant(Scanner, requested).Select(s => s.ToString()));
        Assert.Equal(["repository:dev/app:pull,push,delete,*"], ScopeGranter.Grant(DevAdmin, requested).Select(s => s.ToString()));
        var admin = new Caller(Guid.NewGuid(), "admin", true, false, []);
        Assert.Equal(3, ScopeGranter.Grant(admin, requested).Count);
    }

    [Fact]
    public void Too_many_scopes_are_refused()
    {
        var many = Enumerable.Range(0, 40).Select(i => $"repository:dev/app{i}:pull");
        Assert.False(RegistryScope.TryParseAll(many, out _, out var error));
        Assert.Contains("too many", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/images", null, RouteAccessRules.Verdict.Allow)]
    [InlineData("GET", "/api/scans", "dev/app", RouteAccessRules.Verdict.Allow)]
    [InlineData("GET", "/api/scans", "qa/app", RouteAccessRules.Verdict.Forbidden)]
    [InlineData("GET", "/api/scans", "../qa/app", RouteAccessRules.Verdict.BadRequest)]
    [InlineData("POST", "/api/images/scan", null, RouteAccessRules.Verdict.Allow)]
    [InlineData("POST", "/api/policies", null, RouteAccessRules.Verdict.Forbidden)]
    [InlineData("PUT", "/api/exceptions/1", null, RouteAccessRules.Verdict.Forbidden)]
    [InlineData("POST", "/api/policies/dry-run", null, RouteAccessRules.Verdict.Allow)]
    [InlineData("POST", "/api/feeds/debian/sync", null, RouteAccessRules.Verdict.Forbidden)]
    [InlineData("POST", "/api/registry/events", null, RouteAccessRules.Verdict.Allow)]
    public void A_developer_at_the_gateway(string method, string path, string? repository, RouteAccessRules.Verdict verdict) =>
        Assert.Equal(verdict, RouteAccessRules.Check(Developer, method, path, repository).Verdict);

    [Fact]
    public void Namespace_admins_reach_policy_writes_and_anonymous_callers_only_webhooks()
    {
        Assert.Equal(RouteAccessRules.Verdict.Allow, RouteAccessRules.Check(DevAdmin, "POST", "/api/policies", null).Verdict);
        Assert.Equal(RouteAccessRules.Verdict.Forbidden, RouteAccessRules.Check(DevAdmin, "DELETE", "/api/subscriptions/1", null).Verdict);
        Assert.Equal(RouteAccessRules.Verdict.Unauthenticated, RouteAccessRules.Check(null, "GET", "/api/images", null).Verdict);
        Assert.Equal(RouteAccessRules.Verdict.Allow, RouteAccessRules.Check(null, "POST", "/api/registry/harbor-events", null).Verdict);
    }
}
