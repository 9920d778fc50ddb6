using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Versions;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Cli.Tests;

/// <summary>
/// Shared by the scan tests: the whole real feed corpus (<c>../shared/feeds</c>) loaded once, handed to the CLI through
/// <see cref="CliEnvironment.LoadFeedsAsync"/>, and two small OCI layouts built from real data: a Debian 12 image with
/// the glibc of Debian 12.1 and a log4j-core 2.14.1 jar, and an image without packages.
/// </summary>
public sealed class CliFixture : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), $"scm-cli-tests-{Guid.NewGuid():N}");

    internal VulnerabilityIndex Index { get; private set; } = null!;

    public string Feeds { get; } = RepositoryLayout.Feeds;

    /// <summary><c>oci:DIR:old-glibc</c>: Debian 12, libc6 2.36-9+deb12u1 (source glibc), app/lib/log4j-core-2.14.1.jar.</summary>
    public string OldGlibcImage { get; private set; } = null!;

    /// <summary><c>oci:DIR:empty</c>: only etc/os-release.</summary>
    public string EmptyImage { get; private set; } = null!;

    public static string Archive(string tag) => "docker-archive:" + Path.Combine(RepositoryLayout.TestImages, "tars", tag + ".tar");

    internal CliEnvironment Environment => new()
    {
        LoadFeedsAsync = (folder, _) => Task.FromResult(folder == Feeds ? Index : throw new DirectoryNotFoundException(folder)),
        StderrIsTerminal = false,
        ConfigDirectory = Path.Combine(_work, "config"),
    };

    public async Task InitializeAsync()
    {
        var data = Path.Combine(AppContext.BaseDirectory, "TestData", "bookworm-glibc-deb12u1");
        var osRelease = await File.ReadAllBytesAsync(Path.Combine(data, "os-release"));
        var oldGlibc = Path.Combine(_work, "old-glibc");
        OciLayoutBuilder.Write(oldGlibc, "old-glibc", new Dictionary<string, byte[]>
        {
            ["etc/os-release"] = osRelease,
            ["var/lib/dpkg/status"] = await File.ReadAllBytesAsync(Path.Combine(data, "status")),
            ["app/lib/log4j-core-2.14.1.jar"] = OciLayoutBuilder.Jar("org.apache.logging.log4j", "log4j-core", "2.14.1"),
        });
        OldGlibcImage = $"oci:{oldGlibc}:old-glibc";
        var empty = Path.Combine(_work, "empty");
        OciLayoutBuilder.Write(empty, "empty", new Dictionary<string, byte[]> { ["etc/os-release"] = osRelease });
        EmptyImage = $"oci:{empty}:empty";
        (Index, _) = await FeedCorpus.LoadAsync(Feeds, VersionSchemes.ForOsvEcosystem);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Runs <c>scm ARGS</c> in process with captured stdout and stderr.</summary>
    internal async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ScmApp.RunAsync(args, stdout, stderr, Environment);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }
}

public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public System.Text.Json.JsonDocument Json() => System.Text.Json.JsonDocument.Parse(Stdout);
}
