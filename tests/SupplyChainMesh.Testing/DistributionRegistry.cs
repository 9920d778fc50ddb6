using System.Diagnostics;
using System.Text;

namespace SupplyChainMesh.Testing;

/// <summary>
/// A CNCF Distribution registry of a test's own (Debian's <c>docker-registry serve</c>) on a loopback port, filesystem
/// storage with deletes in a temporary folder, started <see cref="TiedProcess">tied to the test runner</see>.
/// Optionally with htpasswd authentication (<see cref="Options.HtpasswdLine"/>) and notifications of pushes and deletes
/// to a webhook (<see cref="Options.NotifyUrl"/>), as the mesh's registry sends them to Ingest.
/// </summary>
public sealed class DistributionRegistry : IAsyncDisposable
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(20);
    private readonly Process _process;

    private DistributionRegistry(Process process, int port, string root)
    {
        _process = process;
        Port = port;
        Root = root;
    }

    public sealed record Options
    {
        /// <summary>One <c>user:bcrypt-hash</c> line: the registry then asks for basic authentication.</summary>
        public string? HtpasswdLine { get; init; }

        /// <summary>Where to send the notifications (none when null), with <see cref="NotifySecret"/> as bearer token.</summary>
        public Uri? NotifyUrl { get; init; }

        public string? NotifySecret { get; init; }
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as image references name it.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>The temporary folder (configuration and storage).</summary>
    public string Root { get; }

    /// <summary>Where the registry stores a blob's bytes (to tamper with them).</summary>
    public string BlobDataPath(string digest) =>
        Path.Combine(Root, "data", "docker", "registry", "v2", "blobs", "sha256", digest[7..9], digest[7..], "data");

    /// <summary>Starts a registry on <paramref name="port"/> and waits until it answers.</summary>
    /// <exception cref="InvalidOperationException">docker-registry is missing or exited (the port is taken?).</exception>
    /// <exception cref="TimeoutException">It did not answer within 20 s.</exception>
    public static async Task<DistributionRegistry> StartAsync(int port, Options? options = null)
    {
        options ??= new Options();
        var root = Directory.CreateTempSubdirectory("scm-registry-").FullName;
        var config = new StringBuilder($"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(root, "data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
              secret: scm-test

            """);
        if (options.HtpasswdLine is { } htpasswd)
        {
            var path = Path.Combine(root, "htpasswd");
            await File.WriteAllTextAsync(path, htpasswd + "\n");
            config.Append($"""
                auth:
                  htpasswd:
                    realm: scm-test
                    path: {path}

                """);
        }
        if (options.NotifyUrl is { } notify)
        {
            config.Append($"""
                notifications:
                  events:
                    includereferences: true
                  endpoints:
                    - name: ingest
                      url: {notify}
                      headers:
                        Authorization: [Bearer {options.NotifySecret}]
                      timeout: 5s
                      threshold: 3
                      backoff: 1s
                      ignoredmediatypes:
                        - application/x-scm-never-sent
                      ignore:
                        actions:
                          - pull

                """);
        }
        var configPath = Path.Combine(root, "config.yml");
        await File.WriteAllTextAsync(configPath, config.ToString());

        var start = new ProcessStartInfo("docker-registry") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(configPath);
        var process = TiedProcess.Start(start);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new DistributionRegistry(process, port, root);
        try
        {
            await registry.WaitReadyAsync();
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    // Any HTTP answer on /v2/ (200, or 401 behind htpasswd) means it listens.
    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + ReadyWithin;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode} (port {Port} taken? is it installed?)");
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{Host}/v2/"));
                return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"docker-registry did not answer on {Host} within {ReadyWithin.TotalSeconds} s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* best effort */ }
    }
}
