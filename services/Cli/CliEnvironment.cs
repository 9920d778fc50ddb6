using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Cli;

/// <summary>
/// What the commands take from the outside world, so that tests can run the whole command tree in process: the feed
/// loader (tests share one loaded corpus), environment variables, the config folder, the HTTP handler and whether
/// stderr is a terminal.
/// </summary>
internal sealed class CliEnvironment
{
    public static CliEnvironment Default { get; } = new();

    public Func<string, CancellationToken, Task<VulnerabilityIndex>> LoadFeedsAsync { get; init; } = LoadFeedFolderAsync;

    public Func<string, string?> GetVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Where <c>config.json</c> lives: <c>$SCM_CONFIG_DIR</c>, else <c>$XDG_CONFIG_HOME/scm</c>, else <c>~/.config/scm</c>.</summary>
    public string? ConfigDirectory { get; init; }

    /// <summary>Handler for the API client (null: a <see cref="SocketsHttpHandler"/>).</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    public bool StderrIsTerminal { get; init; } = !Console.IsErrorRedirected;

    public string ResolveConfigDirectory()
    {
        if (ConfigDirectory is { Length: > 0 } configured) return configured;
        if (GetVariable("SCM_CONFIG_DIR") is { Length: > 0 } explicitDir) return explicitDir;
        if (GetVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg) return Path.Combine(xdg, "scm");
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "scm");
    }

    private static async Task<VulnerabilityIndex> LoadFeedFolderAsync(string folder, CancellationToken ct) =>
        (await FeedCorpus.LoadAsync(folder, VersionSchemes.ForOsvEcosystem, ct).ConfigureAwait(false)).Index;
}
