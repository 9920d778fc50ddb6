namespace SupplyChainMesh.Testing;

/// <summary>Pushes OCI layouts (by default the real test images that build-images.sh made) to a registry with skopeo.</summary>
public static class Skopeo
{
    /// <summary>Pushes <c>oci:TEST-IMAGES/oci:LAYOUT-TAG</c>.</summary>
    public static Task PushAsync(string layoutTag, string registry, string repositoryAndTag, string? credentials = null) =>
        PushLayoutAsync(Path.Combine(RepositoryLayout.TestImages, "oci"), layoutTag, registry, repositoryAndTag, credentials);

    /// <summary>Pushes <c>oci:LAYOUT:TAG</c> from any layout folder.</summary>
    public static async Task PushLayoutAsync(string layout, string tag, string registry, string repositoryAndTag, string? credentials = null)
    {
        var args = new List<string> { "copy", "--quiet", "--dest-tls-verify=false", "--retry-times", "2" };
        if (credentials is not null) args.AddRange(["--dest-creds", credentials]);
        args.Add($"oci:{layout}:{tag}");
        args.Add($"docker://{registry}/{repositoryAndTag}");
        await ProcessRunner.RunCheckedAsync("skopeo", [.. args]);
    }

    /// <summary>The manifest digest the registry holds for a repository and tag.</summary>
    public static async Task<string> DigestAsync(string registry, string repositoryAndTag) =>
        (await ProcessRunner.RunCheckedAsync("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", $"docker://{registry}/{repositoryAndTag}")).Trim();
}
