using System.Text.Json;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Cli.Tests.Scan;

/// <summary>Exit codes of <c>scm scan</c> (Trivy's <c>--exit-code</c> semantics) and the rule that stdout carries only the
/// report: usage errors and progress go to stderr.</summary>
public class ScanExitCodeTests(CliFixture cli) : IClassFixture<CliFixture>
{
    [Fact]
    public async Task Exit_code_is_returned_when_a_reported_finding_remains()
    {
        var run = await cli.RunAsync("scan", cli.OldGlibcImage, "--feeds", cli.Feeds, "--format", "json", "--exit-code", "7");
        Assert.Equal(7, run.ExitCode);
        using var json = run.Json();
        Assert.NotEqual(0, json.RootElement.GetProperty("images")[0].GetProperty("findings").GetArrayLength());
    }

    [Fact]
    public async Task Exit_code_is_not_returned_when_nothing_is_reported()
    {
        var run = await cli.RunAsync("scan", cli.EmptyImage, "--feeds", cli.Feeds, "--format", "json", "--exit-code", "7");
        Assert.Equal(0, run.ExitCode);
        using var json = run.Json();
        Assert.Equal(0, json.RootElement.GetProperty("images")[0].GetProperty("findings").GetArrayLength());
        Assert.Equal("debian", json.RootElement.GetProperty("images")[0].GetProperty("inventory").GetProperty("distribution").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Exit_code_follows_the_severity_filter()
    {
        // Every finding of the old-glibc image: the exit code follows whether the chosen severities leave any.
        var all = await cli.RunAsync("scan", cli.OldGlibcImage, "--feeds", cli.Feeds, "--format", "json");
        using var json = all.Json();
        var severities = json.RootElement.GetProperty("images")[0].GetProperty("findings").EnumerateArray()
            .Select(f => f.GetProperty("severity").GetString()!).ToHashSet(StringComparer.Ordinal);
        foreach (var severity in new[] { "CRITICAL", "HIGH", "MEDIUM", "LOW", "NEGLIGIBLE", "UNKNOWN" })
        {
            var run = await cli.RunAsync("scan", cli.OldGlibcImage, "--feeds", cli.Feeds, "--format", "json", "--exit-code", "9", "--severity", severity);
            Assert.Equal(severities.Contains(severity) ? 9 : 0, run.ExitCode);
        }
    }

    [Theory]
    [InlineData("scan", "docker://UPPER/Case:tag")]
    [InlineData("scan", "--format", "xml", "docker-archive:/x.tar")]
    [InlineData("scan", "docker-archive:/x.tar", "--no-such-option")]
    [InlineData("scan", "docker-archive:/x.tar", "--feeds", "/no/such/feed/folder")]
    [InlineData("scan", "docker-archive:/x.tar", "--feeds", "FEEDS", "--severity", "SEVERE")]
    [InlineData("scan", "docker-archive:/x.tar", "--severity", "HIGH")]
    [InlineData("scan")]
    public async Task Bad_usage_exits_2_with_a_message_on_stderr_only(params string[] args)
    {
        var run = await cli.RunAsync([.. args.Select(a => a == "FEEDS" ? cli.Feeds : a)]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.StartsWith("scm: ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_image_exits_3()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"scm-missing-{Guid.NewGuid():N}.tar");
        var run = await cli.RunAsync("scan", "docker-archive:" + missing, "--feeds", cli.Feeds, "--format", "json");
        Assert.Equal(ExitCodes.ImageUnreadable, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains(missing, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_tag_in_an_oci_layout_exits_3()
    {
        var run = await cli.RunAsync("scan", TestImageLayers.Oci("no-such-tag"), "--format", "json");
        Assert.Equal(ExitCodes.ImageUnreadable, run.ExitCode);
        Assert.Contains("no-such-tag", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_goes_to_stderr_when_asked_and_never_to_stdout()
    {
        var run = await cli.RunAsync("scan", CliFixture.Archive("app-mixed"), "--format", "json", "--progress");
        Assert.Equal(0, run.ExitCode);
        using var json = run.Json(); // stdout is one JSON document and nothing else
        Assert.DoesNotContain("scm:", run.Stdout, StringComparison.Ordinal);
        var layers = TestImageLayers.Of("app-mixed");
        foreach (var (_, diffId) in layers) Assert.Contains($"scm: layer {diffId[..19]} done", run.Stderr, StringComparison.Ordinal);
        // The 121 MB base layer reports its bytes on the way (every 16 MiB).
        Assert.Contains($"scm: layer {layers[0].DiffId[..19]} 16.0 MiB", run.Stderr, StringComparison.Ordinal);

        var quiet = await cli.RunAsync("scan", cli.EmptyImage, "--format", "json");
        Assert.Equal("", quiet.Stderr); // stderr is not a terminal here and --progress was not given
    }

    [Fact]
    public async Task As_a_process_progress_stays_on_stderr_and_the_exit_code_reaches_the_shell()
    {
        var scm = Path.Combine(AppContext.BaseDirectory, "scm.dll");
        var run = await ProcessRunner.RunAsync("dotnet",
            scm, "scan", cli.OldGlibcImage, "--feeds", cli.Feeds, "--format", "sarif", "--progress", "--exit-code", "5", "--severity", "CRITICAL");
        Assert.Equal(5, run.ExitCode);
        using var sarif = JsonDocument.Parse(run.Stdout);
        var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "CVE-2021-44228");
        Assert.All(results, r => Assert.Equal("error", r.GetProperty("level").GetString()));
        var errors = run.Stderr;
        Assert.Contains("scm: reading layer sha256:", errors, StringComparison.Ordinal);
        Assert.Contains("scm: feeds: ", errors, StringComparison.Ordinal);
    }
}
