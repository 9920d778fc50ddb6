using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.PolicyEngine;

/// <summary>
/// The admission webhook with its PostgreSQL made unreachable (a <see cref="TcpProxy"/> in front of the real database,
/// then cut): always HTTP 200 with an AdmissionReview echoing the uid, never a 500. Rules loaded before the outage
/// keep serving and their own fail-open/fail-closed decides the now unknown verdicts; with no rules ever loaded the
/// configured default decides (fail-closed unless set to fail open) and the answer says so.
/// </summary>
public sealed class AdmissionOutageTests
{
    private const string Uid = "3c4e1f0a-8f5b-4c1e-9a43-5f8c2e7d9b10";

    private static async Task<(PolicyEngineHost Host, TcpProxy Proxy)> StartBehindProxyAsync(params (string Key, string Value)[] settings)
    {
        var database = new NpgsqlConnectionStringBuilder(await BackingServices.FreshDatabaseAsync("policy"));
        var proxy = new TcpProxy(database.Host!, database.Port);
        database.Host = "127.0.0.1";
        database.Port = proxy.Port;
        var all = new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = database.ConnectionString };
        foreach (var (key, value) in settings) all[key] = value;
        return (await PolicyEngineHost.StartAsync(all), proxy);
    }

    private static async Task<JsonNode> ReviewAsync(PolicyEngineHost host, string json)
    {
        var (response, body) = await host.SendAsync(HttpMethod.Post, "/api/admission/validate", json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("AdmissionReview", body!["kind"]!.GetValue<string>());
        return body["response"]!;
    }

    private static string PodIn(string ns)
    {
        var node = JsonNode.Parse(PolicyTestData.Text("pod-create.json"))!;
        node["request"]!["namespace"] = ns;
        return node.ToJsonString();
    }

    [Fact]
    public async Task With_no_rules_ever_loaded_the_default_fails_closed_and_says_so()
    {
        var (host, proxy) = await StartBehindProxyAsync();
        await using var _ = proxy;
        await using var __ = host;
        proxy.Cut();

        var response = await ReviewAsync(host, PolicyTestData.Text("pod-create.json"));
        Assert.Equal(Uid, response["uid"]!.GetValue<string>());
        Assert.False(response["allowed"]!.GetValue<bool>());
        Assert.Equal(503, response["status"]!["code"]!.GetValue<int>());
        var message = response["status"]!["message"]!.GetValue<string>();
        Assert.StartsWith("The Pod 'payments-7d9f8' cannot be checked: the admission rules cannot be loaded (", message, StringComparison.Ordinal);
        Assert.EndsWith("Denied because the configured default for unreadable admission rules fails closed.", message, StringComparison.Ordinal);

        // A delete needs no rule.
        Assert.True((await ReviewAsync(host, PolicyTestData.Text("pod-delete.json")))["allowed"]!.GetValue<bool>());
        proxy.Restore();
    }

    [Fact]
    public async Task With_no_rules_ever_loaded_a_fail_open_default_admits_with_a_warning_saying_why()
    {
        var (host, proxy) = await StartBehindProxyAsync(("PolicyEngine:Admission:WhenRulesUnavailable", "FailOpen"));
        await using var _ = proxy;
        await using var __ = host;
        proxy.Cut();

        var response = await ReviewAsync(host, PolicyTestData.Text("deployment-create.json"));
        Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", response["uid"]!.GetValue<string>());
        Assert.True(response["allowed"]!.GetValue<bool>());
        var warning = Assert.Single(response["warnings"]!.AsArray())!.GetValue<string>();
        Assert.StartsWith("Checked without some admission rules (the admission rules cannot be loaded (", warning, StringComparison.Ordinal);
        Assert.Contains("fails open", warning, StringComparison.Ordinal);
        proxy.Restore();
    }

    [Fact]
    public async Task Rules_loaded_before_the_outage_keep_serving_and_each_rule_fails_open_or_closed()
    {
        var (host, proxy) = await StartBehindProxyAsync();
        await using var _ = proxy;
        await using var __ = host;
        await host.CreatedAsync("/api/admission/rules", """
            { "name": "prod lenient", "namespaces": ["prod"], "maxSeverity": "high", "mode": "enforce", "onUnknownVerdict": "failOpen" }
            """);
        await host.CreatedAsync("/api/admission/rules", """
            { "name": "payments strict", "namespaces": ["payments"], "maxSeverity": "high", "mode": "enforce", "onUnknownVerdict": "failClosed" }
            """);
        // Any review loads the rules.
        Assert.True((await ReviewAsync(host, PolicyTestData.Text("pod-delete.json")))["allowed"]!.GetValue<bool>());
        proxy.Cut();

        var open = await ReviewAsync(host, PodIn("prod"));
        Assert.Equal(Uid, open["uid"]!.GetValue<string>());
        Assert.True(open["allowed"]!.GetValue<bool>());
        var warnings = open["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("was admitted without a verdict: rule 'prod lenient' fails open", w, StringComparison.Ordinal));

        var closed = await ReviewAsync(host, PodIn("payments"));
        Assert.False(closed["allowed"]!.GetValue<bool>());
        var message = closed["status"]!["message"]!.GetValue<string>();
        Assert.Contains("image 'fluent/fluent-bit:3.1' (container 'log-shipper') breaks rule 'payments strict': no verdict is known for it (the verdict lookup failed: ", message, StringComparison.Ordinal);
        Assert.Contains("and the rule fails closed", message, StringComparison.Ordinal);
        proxy.Restore();
    }
}
