using System.Diagnostics;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.EndToEnd;

/// <summary>
/// One of the mesh's services as a real operating-system process (the built <c>SupplyChainMesh.X.dll</c> under
/// <c>services/X/bin/&lt;configuration&gt;</c>), configured by environment variables like a deployment, its output kept in
/// <c>.local/test-logs</c>. Can be stopped and started again to simulate a crash or a restart. It dies with the test
/// runner (<see cref="TiedProcess"/>), so an interrupted run leaves no service holding ports and queues.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly string _service;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _logPath;
    private Process? _process;
    private StreamWriter? _log;

    public ServiceProcess(string service, int port, IReadOnlyDictionary<string, string> environment, string instance)
    {
        _service = service;
        Port = port;
        _environment = environment;
        var logs = Path.Combine(RepositoryLayout.RepositoryRoot, ".local", "test-logs");
        Directory.CreateDirectory(logs);
        _logPath = Path.Combine(logs, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{instance}-{service}-{port}.log");
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string LogPath => _logPath;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The service's build output, in the configuration this test assembly was built in.</summary>
    private string ProgramDirectory()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";
        var directory = Path.Combine(RepositoryLayout.RepositoryRoot, "services", _service, "bin", configuration, "net10.0");
        return File.Exists(Path.Combine(directory, $"SupplyChainMesh.{_service}.dll"))
            ? directory
            : throw new InvalidOperationException($"services/{_service} is not built in {configuration} ({directory}); build the solution first.");
    }

    public async Task StartAsync(TimeSpan readyWithin)
    {
        if (IsRunning) return;
        var directory = ProgramDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"SupplyChainMesh.{_service}.dll");
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in _environment) start.Environment[key] = value;
        _log ??= new StreamWriter(_logPath, append: true) { AutoFlush = true };
        // Tied to the test runner: a killed runner takes its service processes with it.
        var process = new Process { StartInfo = TiedProcess.For(start), EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitReadyAsync(readyWithin);
    }

    private void Write(string? line)
    {
        if (line is null) return;
        lock (_logPath) _log?.WriteLine(line);
    }

    private async Task WaitReadyAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (_process is { HasExited: true } exited)
                throw new InvalidOperationException($"{_service} exited with code {exited.ExitCode} while starting; log: {_logPath}\n{Tail()}");
            try
            {
                using var response = await Http.GetAsync(new Uri(BaseAddress, "health/ready"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{_service} was not ready within {within}; log: {_logPath}\n{Tail()}");
    }

    /// <summary>Kills the process at once (no graceful shutdown): what a crash or an OOM kill looks like to the mesh.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public string Tail(int lines = 40)
    {
        lock (_logPath)
        {
            _log?.Flush();
            try
            {
                using var reader = new StreamReader(new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                var all = reader.ReadToEnd().Split('\n');
                return string.Join('\n', all.TakeLast(lines));
            }
            catch (IOException) { return ""; }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        lock (_logPath)
        {
            _log?.Dispose();
            _log = null;
        }
    }
}
