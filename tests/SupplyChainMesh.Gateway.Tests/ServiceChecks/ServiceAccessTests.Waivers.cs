using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupplyChainMesh.Gateway.Tests.OpenApi;
using SupplyChainMesh.Ingest;
using SupplyChainMesh.Ingest.Infrastructure;
using SupplyChainMesh.Ingest.Model;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.PolicyEngine.Model;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Gateway.Tests.ServiceChecks;

/// <summary>Exception and VEX writes checked by PolicyEngine itself, and list filters that run before the page limit.</summary>
public sealed partial class ServiceAccessTests
{
    [Fact]
    public async Task Exceptions_need_admin_of_the_namespace_they_reach_and_global_ones_the_admin_role()
    {
        await using var policies = new ServiceHost<StoredPolicy>(9204, await SettingsAsync("checks-exceptions"));
        policies.StartServer();
        using var http = new HttpClient { BaseAddress = new Uri(policies.Address) };
        var devAdmin = Principal("dev-lead", "dev/*=admin");
        var qaAdmin = Principal("qa-lead", "qa/*=admin", "dev/*=read-write");

        // The repo's sample exception (dev/*): a dev admin may, a qa admin (who only writes dev/*) may not.
        var sample = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.RepositoryRoot, "infra/local/sample-exception.json")))!.AsObject();
        using (var refused = await SendAsync(http, HttpMethod.Post, "/api/exceptions", qaAdmin, sample.DeepClone().AsObject()))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("'dev'", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // The body names someone else as who accepted the risk: the record names the authenticated caller.
        var claimed = sample.DeepClone().AsObject();
        claimed["createdBy"] = "qa-lead";
        using var created = await SendAsync(http, HttpMethod.Post, "/api/exceptions", devAdmin, claimed);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var createdBody = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("dev-lead", createdBody["createdBy"]!.GetValue<string>());
        var id = createdBody["id"]!.GetValue<string>();

        // Global, a wildcard namespace, an image never evaluated here: only the admin role.
        var global = Exception("global", null);
        using (var r = await SendAsync(http, HttpMethod.Post, "/api/exceptions", devAdmin, global.DeepClone().AsObject())) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await SendAsync(http, HttpMethod.Post, "/api/exceptions", devAdmin, Exception("repository", "*/app"))) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        var digest = RandomDigest();
        using (var r = await SendAsync(http, HttpMethod.Post, "/api/exceptions", devAdmin, Exception("image", digest))) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await SendAsync(http, HttpMethod.Post, "/api/exceptions", Principal("admin", []), global, admin: true)) Assert.Equal(HttpStatusCode.Created, r.StatusCode);

        // Once the image was evaluated in dev/..., its digest reaches the dev namespace only.
        await using (var scope = policies.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
            db.Images.Add(new ImageSummary { Registry = BackingServices.Registry, Repository = "dev/waivers", Digest = digest, Tag = "latest" });
            await db.SaveChangesAsync();
        }
        using (var r = await SendAsync(http, HttpMethod.Post, "/api/exceptions", Principal("qa-lead", "qa/*=admin"), Exception("image", digest))) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await SendAsync(http, HttpMethod.Post, "/api/exceptions", devAdmin, Exception("image", digest))) Assert.Equal(HttpStatusCode.Created, r.StatusCode);

        // Deleting needs what creating needed; a refused delete leaves the exception in place.
        using (var r = await SendAsync(http, HttpMethod.Delete, $"/api/exceptions/{id}", qaAdmin)) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await SendAsync(http, HttpMethod.Get, $"/api/exceptions/{id}", qaAdmin)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using (var r = await SendAsync(http, HttpMethod.Delete, $"/api/exceptions/{id}", devAdmin)) Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
    }

    [Fact]
    public async Task Vex_documents_need_admin_of_the_images_namespaces_and_package_statements_the_admin_role()
    {
        await using var policies = new ServiceHost<StoredPolicy>(9204, await SettingsAsync("checks-vex"));
        policies.StartServer();
        using var http = new HttpClient { BaseAddress = new Uri(policies.Address) };
        var devAdmin = Principal("dev-lead", "dev/*=admin");
        var about = new JsonObject
        {
            ["@context"] = "https://openvex.dev/ns/v0.2.0",
            ["@id"] = "https://vex.example.com/checks/" + Guid.NewGuid().ToString("N")[..8],
            ["author"] = "checks",
            ["timestamp"] = "2026-11-29T10:00:00Z",
            ["version"] = 1,
            ["statements"] = new JsonArray(new JsonObject
            {
                ["vulnerability"] = new JsonObject { ["name"] = "CVE-2023-45853" },
                ["products"] = new JsonArray(new JsonObject { ["@id"] = $"pkg:oci/app?repository_url={BackingServices.Registry}/dev/app" }),
                ["status"] = "not_affected",
                ["justification"] = "vulnerable_code_not_in_execute_path",
            }),
        };
        using (var r = await SendAsync(http, HttpMethod.Post, "/api/vex", Principal("qa-lead", "qa/*=admin", "dev/*=read-write"), about.DeepClone().AsObject()))
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using var created = await SendAsync(http, HttpMethod.Post, "/api/vex", devAdmin, about);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        // The Policy tests' real document: a statement about a package (pkg:deb/debian/openssl) clears it in every image.
        var payments = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.RepositoryRoot, "tests/SupplyChainMesh.Policy.Tests/TestData/Vex/payments.openvex.json")))!.AsObject();
        using (var r = await SendAsync(http, HttpMethod.Post, "/api/vex", Principal("prod-lead", "prod/*=admin"), payments.DeepClone().AsObject()))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Contains("admin", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var r = await SendAsync(http, HttpMethod.Post, "/api/vex", Principal("admin", []), payments, admin: true)) Assert.Equal(HttpStatusCode.Created, r.StatusCode);

        using (var r = await SendAsync(http, HttpMethod.Delete, $"/api/vex/{id}", Principal("qa-lead", "qa/*=admin"))) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await SendAsync(http, HttpMethod.Delete, $"/api/vex/{id}", devAdmin)) Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
    }

    [Fact]
    public async Task A_reader_gets_a_full_page_of_what_it_may_read_when_others_fill_the_first_page()
    {
        await using var ingest = new ServiceHost<IngestOptions>(9209, await SettingsAsync("checks-paging"));
        ingest.StartServer();
        using var http = new HttpClient { BaseAddress = new Uri(ingest.Address) };
        // 1,000 tags (the page size) in a namespace sorted before dev/, then three of dev/.
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await using (var scope = ingest.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IngestDbContext>();
            var now = DateTimeOffset.UtcNow;
            db.Tags.AddRange(Enumerable.Range(0, 1000).Select(i =>
                new TagHead { Registry = BackingServices.Registry, Repository = $"aaa-{suffix}/r{i:D4}", Tag = "latest", Digest = RandomDigest(), UpdatedAt = now }));
            db.Tags.AddRange(Enumerable.Range(0, 3).Select(i =>
                new TagHead { Registry = BackingServices.Registry, Repository = $"dev/paging-{suffix}", Tag = $"t{i}", Digest = RandomDigest(), UpdatedAt = now }));
            await db.SaveChangesAsync();
        }

        var seen = await RepositoriesAsync(http, Principal("dev1", "dev/*=read-write"), admin: false);
        Assert.Equal(3, seen.Count(r => r == $"dev/paging-{suffix}"));
        Assert.All(seen, r => Assert.StartsWith("dev/", r, StringComparison.Ordinal));
        // One repository by name, and no grant at all.
        Assert.Equal(3, (await RepositoriesAsync(http, Principal("one", $"dev/paging-{suffix}=read"), admin: false)).Count);
        Assert.Empty(await RepositoriesAsync(http, Principal("nobody", []), admin: false));
        // The administrator's first page is still the other namespace's 1,000.
        var all = await RepositoriesAsync(http, Principal("admin", []), admin: true);
        Assert.Equal(1000, all.Count);
        Assert.DoesNotContain($"dev/paging-{suffix}", all);
    }

    private static JsonObject Exception(string scope, string? target) => new()
    {
        ["scope"] = scope,
        ["target"] = target,
        ["vulnerabilityId"] = "CVE-2024-6119",
        ["reason"] = "checks: who may waive what",
    };
}
