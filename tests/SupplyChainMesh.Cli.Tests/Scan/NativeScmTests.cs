using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Cli.Tests.Scan;

/// <summary>
/// scm ships as a native-AOT executable (no JIT, trimmed). Trimming can silently drop what is reached only by
/// reflection (the detectors are found that way), and then a scan would report an empty, "clean" image. So the native
/// build must print exactly what the JIT-compiled CLI prints on the real test images, with and without feed matching.
/// The binary comes from <c>SCM_NATIVE_SCM</c> (test.sh publishes it once); without it the test publishes it itself.
/// </summary>
[Collection(NativeScmCollection.Name)]
public sealed class NativeScmTests(CliFixture fixture, NativeScmBinary native) : IClassFixture<CliFixture>
{
    public static TheoryData<string> Tags() => ["bookworm-minbase", "bookworm-apps", "app-mixed", "bookworm-purged"];

    [Theory]
    [MemberData(nameof(Tags))]
    public async Task The_native_build_lists_the_same_inventory_as_the_jit_build(string tag)
    {
        var image = CliFixture.Archive(tag);
        var jit = await fixture.RunAsync("scan", image, "--format", "json", "--quiet");
        var aot = await native.RunAsync("scan", image, "--format", "json", "--quiet");

        Assert.Equal(0, jit.ExitCode);
        Assert.True(aot.ExitCode == 0, $"native scm exited {aot.ExitCode}: {aot.Stderr}");
        using var expected = jit.Json();
        Assert.True(expected.RootElement.GetProperty("images")[0].GetProperty("inventory").GetProperty("packages").GetArrayLength() > 0);
        Assert.Equal(jit.Stdout, aot.Stdout);
    }

    [Fact]
    public async Task The_native_build_matches_the_real_feeds_like_the_jit_build()
    {
        string[] args = ["scan", fixture.OldGlibcImage, "--feeds", fixture.Feeds, "--format", "json", "--quiet"];
        var jit = await fixture.RunAsync(args);
        var aot = await native.RunAsync(args);

        Assert.True(aot.ExitCode == 0, $"native scm exited {aot.ExitCode}: {aot.Stderr}");
        Assert.Contains("CVE-", jit.Stdout, StringComparison.Ordinal);
        Assert.Equal(jit.Stdout, aot.Stdout);
    }

    [Fact]
    public async Task The_native_build_reports_a_missing_image_with_exit_code_3()
    {
        var missing = "docker-archive:" + Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.tar");
        var aot = await native.RunAsync("scan", missing, "--quiet");

        Assert.Equal(3, aot.ExitCode);
        Assert.Contains("no-such-", aot.Stderr, StringComparison.Ordinal);
    }
}

[CollectionDefinition(Name)]
public sealed class NativeScmCollection : ICollectionFixture<NativeScmBinary>
{
    public const string Name = "native scm";
}

/// <summary>The native-AOT scm: <c>SCM_NATIVE_SCM</c>, else published once into a temporary folder.</summary>
public sealed class NativeScmBinary : IAsyncLifetime
{
    private string? _published;

    public string Path { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("SCM_NATIVE_SCM") is { Length: > 0 } given)
        {
            Path = File.Exists(given) ? given : throw new FileNotFoundException($"SCM_NATIVE_SCM={given} does not exist", given);
            return;
        }
        _published = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"scm-native-{Guid.NewGuid():N}");
        var project = System.IO.Path.Combine(RepositoryLayout.RepositoryRoot, "services", "Cli");
        // A native build takes minutes on a busy 2-core machine: more than a tool's default limit.
        var publish = await ProcessRunner.RunAsync("dotnet", TimeSpan.FromMinutes(15),
            "publish", project, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", _published, "--nologo");
        Assert.True(publish.ExitCode == 0, $"could not publish the native scm (set SCM_NATIVE_SCM to a published one):\n{publish.Stdout}\n{publish.Stderr}");
        Path = System.IO.Path.Combine(_published, "scm");
    }

    public Task DisposeAsync()
    {
        if (_published is not null && Directory.Exists(_published)) Directory.Delete(_published, recursive: true);
        return Task.CompletedTask;
    }

    internal async Task<CliRun> RunAsync(params string[] args)
    {
        var run = await ProcessRunner.RunAsync(Path, args);
        return new CliRun(run.ExitCode, run.Stdout, run.Stderr);
    }
}
