using System.Text.Json;

namespace SupplyChainMesh.Cli.Tests.Api;

/// <summary>The API commands against <see cref="FakeGateway"/>: paths and bodies sent, bearer token, table and JSON
/// output, and exit codes (0 ok, 1 the API said no, 2 usage, 3 server unreachable or failing).</summary>
public sealed class ApiCommandTests(FakeGateway gateway) : IClassFixture<FakeGateway>, IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"scm-cli-config-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_config)) Directory.Delete(_config, recursive: true);
    }

    private async Task<CliRun> RunAsync(Dictionary<string, string> variables, params string[] args)
    {
        var environment = new CliEnvironment { ConfigDirectory = _config, GetVariable = name => variables.GetValueOrDefault(name), StderrIsTerminal = false };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ScmApp.RunAsync(args, stdout, stderr, environment);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    private Task<CliRun> RunAsync(params string[] args) =>
        RunAsync(new Dictionary<string, string> { ["SCM_SERVER"] = FakeGateway.Url, ["SCM_TOKEN"] = FakeGateway.Token }, args);

    private (string Method, string PathAndQuery, string? Authorization, string Body) LastRequest(string pathPrefix) =>
        gateway.Requests.Last(r => r.PathAndQuery.StartsWith(pathPrefix, StringComparison.Ordinal));

    [Fact]
    public async Task Login_stores_the_token_readable_by_the_owner_only_and_later_commands_send_it()
    {
        var login = await RunAsync([], "login", "--token", FakeGateway.Token, "--server", FakeGateway.Url);
        Assert.Equal(0, login.ExitCode);
        Assert.DoesNotContain(FakeGateway.Token, login.Stdout, StringComparison.Ordinal);
        var file = Path.Combine(_config, "config.json");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        using (var stored = JsonDocument.Parse(await File.ReadAllTextAsync(file)))
        {
            Assert.Equal(FakeGateway.Token, stored.RootElement.GetProperty("token").GetString());
            Assert.Equal(FakeGateway.Url + "/", stored.RootElement.GetProperty("server").GetString());
        }

        // No SCM_SERVER, no SCM_TOKEN: both come from the stored config.
        var images = await RunAsync([], "images", "--output", "json");
        Assert.Equal(0, images.ExitCode);
        Assert.Equal($"Bearer {FakeGateway.Token}", LastRequest("/api/images").Authorization);
    }

    [Fact]
    public async Task Images_prints_a_table_for_people_and_the_answer_as_json_for_scripts()
    {
        var table = await RunAsync("images");
        Assert.Equal(0, table.ExitCode);
        var row = Assert.Single(table.Stdout.Split('\n'), l => l.Contains("cli/app", StringComparison.Ordinal));
        Assert.Contains(FakeGateway.Digest, row, StringComparison.Ordinal);
        Assert.Contains("1.0", row, StringComparison.Ordinal);

        var json = await RunAsync("images", "--repository", "cli/other", "-o", "json");
        Assert.Equal(0, json.ExitCode);
        Assert.Equal("/api/images?repository=cli%2Fother", LastRequest("/api/images").PathAndQuery);
        using var document = json.Json();
        Assert.Equal("cli/other", Assert.Single(document.RootElement.EnumerateArray()).GetProperty("repository").GetString());
    }

    [Fact]
    public async Task Image_resolves_the_tag_and_shows_layers_packages_and_findings_per_layer()
    {
        var run = await RunAsync("image", "127.0.0.1:5050/cli/app:1.0");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"cli/app@{FakeGateway.Digest}", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Completed (2/2 layers)", run.Stdout, StringComparison.Ordinal);
        var baseSection = run.Stdout[run.Stdout.IndexOf($"Findings of {FakeGateway.BaseLayer}", StringComparison.Ordinal)..];
        Assert.Contains("CVE-2023-4911", baseSection[..baseSection.IndexOf($"Packages of {FakeGateway.AppLayer}", StringComparison.Ordinal)], StringComparison.Ordinal);
        var appSection = run.Stdout[run.Stdout.IndexOf($"Findings of {FakeGateway.AppLayer}", StringComparison.Ordinal)..];
        Assert.Contains("CVE-2021-23337", appSection, StringComparison.Ordinal);
        Assert.DoesNotContain("CVE-2023-4911", appSection, StringComparison.Ordinal);
        Assert.Contains($"/api/scans?repository=cli%2Fapp&digest={Uri.EscapeDataString(FakeGateway.Digest)}", gateway.Requests.Select(r => r.PathAndQuery));

        var json = await RunAsync("image", $"cli/app@{FakeGateway.Digest}", "-o", "json");
        Assert.Equal(0, json.ExitCode);
        using var document = json.Json();
        var layers = document.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal([FakeGateway.BaseLayer, FakeGateway.AppLayer], layers.Select(l => l.GetProperty("digest").GetString()));
        Assert.Equal("lodash", layers[1].GetProperty("analysis").GetProperty("packages")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Image_not_in_the_catalogue_exits_1_and_a_malformed_reference_exits_2()
    {
        var missing = await RunAsync("image", "cli/app:9.9");
        Assert.Equal(ExitCodes.ApiRefused, missing.ExitCode);
        Assert.Contains("cli/app:9.9 is not in the image catalogue", missing.Stderr, StringComparison.Ordinal);
        var malformed = await RunAsync("image", "cli/app@sha256:xyz");
        Assert.Equal(2, malformed.ExitCode);
        Assert.Equal("", malformed.Stdout);
    }

    [Fact]
    public async Task Policy_apply_creates_or_replaces_and_reports_validation_problems()
    {
        var file = Path.Combine(Path.GetTempPath(), $"scm-policy-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(file, """{"name":"qa-gate","sourceRepository":"qa/*"}""");
            var created = await RunAsync("policy", "apply", "-f", file);
            Assert.Equal(0, created.ExitCode);
            Assert.Contains("Policy 22222222-2222-2222-2222-222222222222 created", created.Stdout, StringComparison.Ordinal);
            Assert.Equal("POST", LastRequest("/api/policies").Method);

            await File.WriteAllTextAsync(file, """{"id":"11111111-1111-1111-1111-111111111111","name":"dev-to-qa"}""");
            var replaced = await RunAsync("policy", "apply", "-f", file);
            Assert.Equal(0, replaced.ExitCode);
            var put = LastRequest("/api/policies/11111111");
            Assert.Equal("PUT", put.Method);
            Assert.Contains("dev-to-qa", put.Body, StringComparison.Ordinal);

            await File.WriteAllTextAsync(file, """{"sourceRepository":"qa/*"}""");
            var invalid = await RunAsync("policy", "apply", "-f", file);
            Assert.Equal(ExitCodes.ApiRefused, invalid.ExitCode);
            Assert.Contains("A policy needs a name.", invalid.Stderr, StringComparison.Ordinal);

            await File.WriteAllTextAsync(file, "not json");
            Assert.Equal(2, (await RunAsync("policy", "apply", "-f", file)).ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Equal(2, (await RunAsync("policy", "apply", "-f", file)).ExitCode);
    }

    [Fact]
    public async Task Policy_list_and_dry_run_with_an_exit_code_for_violations()
    {
        var list = await RunAsync("policy", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("dev-to-qa", list.Stdout, StringComparison.Ordinal);

        var ok = await RunAsync("policy", "dry-run", "cli/app:1.0", "--exit-code", "4");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("Would satisfy", ok.Stdout, StringComparison.Ordinal);
        using (var request = JsonDocument.Parse(LastRequest("/api/policies/dry-run").Body))
        {
            Assert.Equal("cli/app", request.RootElement.GetProperty("repository").GetString());
            Assert.Equal("1.0", request.RootElement.GetProperty("tag").GetString());
        }

        var bad = await RunAsync("policy", "dry-run", "cli/bad:1.0", "--exit-code", "4");
        Assert.Equal(4, bad.ExitCode);
        Assert.Contains("CVE-2023-4911 is known exploited", bad.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("policy", "dry-run", "cli/bad:1.0")).ExitCode);
    }

    [Fact]
    public async Task Promotions_pass_the_filter_through()
    {
        var run = await RunAsync("promotions", "--repository", "qa/app", "-o", "json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("/api/promotions?repository=qa%2Fapp", LastRequest("/api/promotions").PathAndQuery);
        using var document = run.Json();
        Assert.Equal("Promoted", document.RootElement[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task Exceptions_add_list_remove()
    {
        var add = await RunAsync("exceptions", "add", "CVE-2023-4911", "--reason", "not reachable in this image", "--scope", "repository", "--target", "dev/*", "-o", "json");
        Assert.Equal(0, add.ExitCode);
        string id;
        using (var added = add.Json()) id = added.RootElement.GetProperty("id").GetString()!;
        using (var body = JsonDocument.Parse(LastRequest("/api/exceptions").Body))
        {
            Assert.Equal("Repository", body.RootElement.GetProperty("scope").GetString());
            Assert.Equal("dev/*", body.RootElement.GetProperty("target").GetString());
        }
        Assert.Contains(id, (await RunAsync("exceptions", "list")).Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("exceptions", "remove", id)).ExitCode);
        Assert.Equal(ExitCodes.ApiRefused, (await RunAsync("exceptions", "remove", id)).ExitCode);
        Assert.Equal(2, (await RunAsync("exceptions", "add", "CVE-2023-4911", "--reason", "x", "--scope", "image")).ExitCode);
        Assert.Equal(2, (await RunAsync("exceptions", "add", "CVE-2023-4911")).ExitCode);
    }

    [Fact]
    public async Task Token_create_shows_the_secret_once_then_list_and_revoke()
    {
        var create = await RunAsync("token", "create", "ci-cli");
        Assert.Equal(0, create.ExitCode);
        var secret = Assert.Single(create.Stdout.Split('\n'), l => l.StartsWith("scm_", StringComparison.Ordinal)).Trim();
        var list = await RunAsync("token", "list", "-o", "json");
        using var listed = list.Json();
        var token = Assert.Single(listed.RootElement.EnumerateArray(), t => t.GetProperty("name").GetString() == "ci-cli");
        Assert.DoesNotContain(secret, list.Stdout, StringComparison.Ordinal);
        var id = token.GetProperty("id").GetString()!;
        Assert.Equal(0, (await RunAsync("token", "revoke", id)).ExitCode);
        Assert.Equal("DELETE", LastRequest($"/api/tokens/{id}").Method);
        Assert.Equal(ExitCodes.ApiRefused, (await RunAsync("token", "revoke", id)).ExitCode);
    }

    [Fact]
    public async Task Without_a_token_the_api_says_no_with_exit_code_6()
    {
        var run = await RunAsync(new Dictionary<string, string> { ["SCM_SERVER"] = FakeGateway.Url }, "images");
        Assert.Equal(ExitCodes.ApiRefused, run.ExitCode);
        Assert.Contains("401", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("A valid API token is required.", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task A_server_that_fails_or_does_not_answer_exits_3_and_a_bad_url_exits_2()
    {
        var failing = await RunAsync("images", "--repository", "cli/boom");
        Assert.Equal(3, failing.ExitCode);
        Assert.Contains("503", failing.Stderr, StringComparison.Ordinal);

        // 9159 is in this helper's port range and nothing listens there.
        var unreachable = await RunAsync("images", "--server", "http://127.0.0.1:9159", "--timeout", "5");
        Assert.Equal(3, unreachable.ExitCode);
        Assert.Contains("cannot reach http://127.0.0.1:9159/", unreachable.Stderr, StringComparison.Ordinal);

        var badUrl = await RunAsync("images", "--server", "ftp://gateway");
        Assert.Equal(2, badUrl.ExitCode);
    }
}
