namespace SupplyChainMesh.Testing;

/// <summary>Where the repository, the read-only material beside it (<c>../shared</c>) and the built test images are.</summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The folder holding <c>SupplyChainMesh.sln</c>.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The material handed to the project: <c>SCM_SHARED_DIR</c>, else <c>../shared</c> beside the repository.</summary>
    public static string SharedMaterial =>
        Environment.GetEnvironmentVariable("SCM_SHARED_DIR") is { Length: > 0 } dir
            ? dir
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    /// <summary>The real vulnerability feed corpus.</summary>
    public static string Feeds => RequireDirectory(Path.Combine(SharedMaterial, "feeds"), "the feed corpus");

    /// <summary>Package-database fixtures of other distributions.</summary>
    public static string Fixtures => RequireDirectory(Path.Combine(SharedMaterial, "fixtures"), "the package-database fixtures");

    /// <summary>
    /// The images built by <c>../shared/images/build-images.sh</c>: <c>SCM_TEST_IMAGES</c>, else <c>.local/test-images</c>
    /// in the repository. Fails loudly, naming the command that builds them.
    /// </summary>
    public static string TestImages
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("SCM_TEST_IMAGES") is { Length: > 0 } d
                ? d
                : Path.Combine(RepositoryRoot, ".local", "test-images");
            if (!File.Exists(Path.Combine(dir, "tars", "bookworm-minbase.tar")))
                throw new InvalidOperationException(
                    $"The real test images are not built at '{dir}'. Run `infra/local/test-images.sh` " +
                    "(it runs ../shared/images/build-images.sh) or set SCM_TEST_IMAGES.");
            return dir;
        }
    }

    private static string RequireDirectory(string dir, string what) =>
        Directory.Exists(dir)
            ? dir
            : throw new InvalidOperationException($"{what} is not at '{dir}': set SCM_SHARED_DIR to the shared material folder.");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupplyChainMesh.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find SupplyChainMesh.sln above " + AppContext.BaseDirectory);
    }
}
