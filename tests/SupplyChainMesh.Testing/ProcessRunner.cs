using System.Diagnostics;

namespace SupplyChainMesh.Testing;

/// <summary>Runs a command line tool (skopeo, umoci) to its end: <see cref="RunAsync"/> returns what it said for a test
/// that asserts on the exit code; <see cref="RunCheckedAsync"/> throws when it fails.</summary>
public static class ProcessRunner
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}: {Stderr}{Stdout}";
    }

    public static Task<Outcome> RunAsync(string file, params string[] args) => RunAsync(file, Limit, args);

    /// <summary>The same with a time limit of its own (a build, say, rather than a tool's quick answer).</summary>
    public static async Task<Outcome> RunAsync(string file, TimeSpan limit, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {file}: is it installed? {BackingServices.HowToStart}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {limit.TotalMinutes} minutes");
        }
        return new Outcome(process.ExitCode, await stdout, await stderr);
    }

    /// <returns>The tool's standard output.</returns>
    /// <exception cref="InvalidOperationException">The tool exited with a non-zero code; the message holds its stderr.</exception>
    public static async Task<string> RunCheckedAsync(string file, params string[] args)
    {
        var outcome = await RunAsync(file, args);
        return outcome.ExitCode == 0
            ? outcome.Stdout
            : throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({outcome.ExitCode}): {outcome.Stderr}");
    }
}
