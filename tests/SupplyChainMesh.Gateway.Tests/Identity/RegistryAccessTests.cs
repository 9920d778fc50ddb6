using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SupplyChainMesh.Gateway.Tests.Identity;

/// <summary>The seed's access rule enforced by a real docker-registry that trusts only the gateway's tokens, with
/// skopeo as the client and a real test image.</summary>
[Collection(GatewayStackCollection.Name)]
public sealed class RegistryAccessTests(GatewayStack stack)
{
    [Fact]
    public async Task Developers_push_to_dev_only_the_promoter_moves_to_qa_and_only_qa_reads_qa()
    {
        var developer = $"dev1:{stack.DeveloperPassword}";
        var qa = $"qa1:{stack.QaPassword}";
        var promoter = $"promoter:{stack.PromoterToken}";

        var push = await GatewayStack.PushAsync("dev/app:v1", developer);
        Assert.True(push.ExitCode == 0, "developer push to dev/app: " + push);

        var pushQa = await GatewayStack.PushAsync("qa/app:sneaky", developer);
        Assert.NotEqual(0, pushQa.ExitCode);

        var copy = await GatewayStack.CopyAsync("dev/app:v1", "qa/app:v1", promoter);
        Assert.True(copy.ExitCode == 0, "promoter copy dev/app -> qa/app: " + copy);

        var qaPull = await GatewayStack.InspectAsync("qa/app:v1", qa);
        Assert.True(qaPull.ExitCode == 0, "qa pull of qa/app: " + qaPull);
        Assert.Contains("layers", qaPull.Stdout, StringComparison.Ordinal);

        var developerPull = await GatewayStack.InspectAsync("qa/app:v1", developer);
        Assert.NotEqual(0, developerPull.ExitCode);
        Assert.Contains("unauthorized", developerPull.Stderr, StringComparison.OrdinalIgnoreCase);

        // The developer's own pull still works: the refusal above is about qa/*, not a broken login.
        var ownPull = await GatewayStack.InspectAsync("dev/app:v1", developer);
        Assert.True(ownPull.ExitCode == 0, "developer pull of dev/app: " + ownPull);

        // The tag the developer tried to push never appeared (read by QA, who may see qa/*).
        var sneaky = await GatewayStack.InspectAsync("qa/app:sneaky", qa);
        Assert.NotEqual(0, sneaky.ExitCode);
    }

    [Fact]
    public async Task A_revoked_api_token_stops_working_at_once()
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/tokens") { Content = JsonContent.Create(new { name = "ci" }) };
        create.Headers.Authorization = GatewayStack.Basic("dev2", stack.DeveloperPassword);
        using var created = await stack.Http.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var token = body.GetProperty("token").GetString()!;
        var id = body.GetProperty("id").GetString()!;

        var before = await GatewayStack.PushAsync("dev/revoked:v1", $"dev2:{token}");
        Assert.True(before.ExitCode == 0, "push with a live token: " + before);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(token));

        using var revoke = new HttpRequestMessage(HttpMethod.Delete, $"/api/tokens/{id}");
        revoke.Headers.Authorization = new("Bearer", token);
        using var revoked = await stack.Http.SendAsync(revoke);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(token));
        var after = await GatewayStack.InspectAsync("dev/revoked:v1", $"dev2:{token}");
        Assert.NotEqual(0, after.ExitCode);
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=scm-registry&scope=repository:dev/revoked:pull");
        tokenRequest.Headers.Authorization = GatewayStack.Basic("dev2", token);
        using var refused = await stack.Http.SendAsync(tokenRequest);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private async Task<HttpStatusCode> MeAsync(string token)
    {
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
        me.Headers.Authorization = new("Bearer", token);
        using var response = await stack.Http.SendAsync(me);
        return response.StatusCode;
    }
}
