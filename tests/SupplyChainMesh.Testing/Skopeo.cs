using System.Diagnostics;

namespace SupplyChainMesh.Testing;

/// <summary>Pushes the real test images (the OCI layout that build-images.sh made) to a registry with skopeo.</summary>
public static class Skopeo
{
    public static async Task PushAsync(string layoutTag, string registry, string repositoryAndTag, string? credentials = null)
    {
        var args = new List<string> { "copy", "--quiet", "--dest-tls-verify=false", "--retry-times", "2" };
        if (credentials is not null) args.AddRange(["--dest-creds", credentials]);
        args.Add($"oci:{Path.Combine(RepositoryLayout.TestImages, "oci")}:{layoutTag}");
        args.Add($"docker://{registry}/{repositoryAndTag}");
        await RunAsync("skopeo", [.. args]);
    }

    /// <summary>The manifest digest the registry holds for a repository and tag.</summary>
    public static async Task<string> DigestAsync(string registry, string repositoryAndTag) =>
        (await RunAsync("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", $"docker://{registry}/{repositoryAndTag}")).Trim();

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {file}: is it installed? {BackingServices.HowToStart}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }
}
