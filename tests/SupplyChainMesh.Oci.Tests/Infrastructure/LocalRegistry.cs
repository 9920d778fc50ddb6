using System.Diagnostics;
using System.Net.Sockets;

namespace SupplyChainMesh.Oci.Tests.Infrastructure;

/// <summary>
/// A private CNCF Distribution registry (<c>docker-registry serve</c>) on a test port with filesystem storage in a
/// temp folder, for tests that need to own the registry: htpasswd auth, tampering with stored blobs, a second registry.
/// </summary>
internal sealed class LocalRegistry : IAsyncDisposable
{
    private readonly Process _process;

    private LocalRegistry(Process process, string host, string root)
    {
        _process = process;
        Host = host;
        Root = root;
    }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Host { get; }

    /// <summary>The storage folder.</summary>
    public string Root { get; }

    public string BlobDataPath(string digest) =>
        Path.Combine(Root, "data", "docker", "registry", "v2", "blobs", "sha256", digest[7..9], digest[7..], "data");

    public static async Task<LocalRegistry> StartAsync(string? htpasswdLine = null)
    {
        var port = TestPorts.Take();
        var root = Directory.CreateTempSubdirectory("scm-oci-registry-").FullName;
        var auth = "";
        if (htpasswdLine is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(root, "htpasswd"), htpasswdLine + "\n");
            auth = $"auth:\n  htpasswd:\n    realm: scm-test\n    path: {Path.Combine(root, "htpasswd")}\n";
        }
        var config = Path.Combine(root, "config.yml");
        await File.WriteAllTextAsync(config,
            $"version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {Path.Combine(root, "data")}\n  delete:\n    enabled: true\n" +
            $"http:\n  addr: 127.0.0.1:{port}\n" + auth);
        var psi = new ProcessStartInfo("docker-registry") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(config);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Cannot start docker-registry.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited) throw new InvalidOperationException($"docker-registry exited with {process.ExitCode} on port {port}.");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return new LocalRegistry(process, $"127.0.0.1:{port}", root);
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        process.Kill();
        throw new InvalidOperationException($"docker-registry did not listen on {port} within 5 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
