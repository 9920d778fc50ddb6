namespace SupplyChainMesh.Oci.Tests.Infrastructure;

/// <summary>Runs the real command-line tools the tests lean on (skopeo, htpasswd, docker-registry).</summary>
internal static class Tools
{
    public static Task<string> RunAsync(string file, params string[] args) =>
        SupplyChainMesh.Testing.ProcessRunner.RunCheckedAsync(file, args);

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
