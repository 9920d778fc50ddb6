using System.Diagnostics;

namespace SupplyChainMesh.Mesh.Tests.EndToEnd;

/// <summary>
/// A CNCF Distribution registry (Debian's <c>docker-registry</c>) of the test's own, in a temporary folder, whose
/// notifications go to the test's Ingest: the registry the pipeline runs against, as in production.
/// </summary>
public sealed class RegistryProcess : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"scm-e2e-registry-{Guid.NewGuid():N}");
    private Process? _process;

    private RegistryProcess(int port) => Port = port;

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as image references and the services' <c>Registry:Url</c> name it.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public static async Task<RegistryProcess> StartAsync(Uri notifyUrl, string secret)
    {
        var registry = new RegistryProcess(FreePort.Next());
        await registry.LaunchAsync(notifyUrl, secret);
        return registry;
    }

    private async Task LaunchAsync(Uri notifyUrl, string secret)
    {
        Directory.CreateDirectory(_root);
        var config = Path.Combine(_root, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {_root}/data
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{Port}
              secret: scm-e2e
            notifications:
              events:
                includereferences: true
              endpoints:
                - name: ingest
                  url: {notifyUrl}
                  headers:
                    Authorization: [Bearer {secret}]
                  timeout: 5s
                  threshold: 3
                  backoff: 1s
                  ignoredmediatypes:
                    - application/x-scm-never-sent
                  ignore:
                    actions:
                      - pull
            """);
        var start = new ProcessStartInfo("docker-registry", $"serve {config}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}");
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{Host}/v2/"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"docker-registry on {Host} did not answer");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
