using System.Diagnostics;

namespace SupplyChainMesh.Oci.Tests.Infrastructure;

/// <summary>Runs the real command-line tools the tests lean on (skopeo, htpasswd, docker-registry).</summary>
internal static class Tools
{
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }

    /// <summary>Pushes an image of the built OCI layout to a registry with skopeo.</summary>
    public static Task SkopeoPushAsync(string layoutTag, string registry, string repositoryAndTag, string? credentials = null) =>
        SupplyChainMesh.Testing.Skopeo.PushAsync(layoutTag, registry, repositoryAndTag, credentials);

    /// <summary>A bcrypt htpasswd line, as docker-registry's htpasswd auth needs: apache2-utils' htpasswd, else Python's crypt.</summary>
    public static async Task<string> HtpasswdLineAsync(string user, string password)
    {
        if (File.Exists("/usr/bin/htpasswd")) return (await RunAsync("htpasswd", "-Bbn", user, password)).Trim();
        var hash = (await RunAsync("python3", "-W", "ignore", "-c",
            "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))", password)).Trim();
        return $"{user}:{hash}";
    }
}
