using System.Buffers;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Alpine;

/// <summary>
/// Reports the packages of apk's installed database (<c>lib/apk/db/installed</c>) and the files they own. Namespace and
/// distro are left empty: the squash fills them from the image's os-release.
/// </summary>
public sealed class ApkInstalledDetector : IPackageDetector
{
    /// <summary>The database path inside an image.</summary>
    public const string DatabasePath = "lib/apk/db/installed";

    /// <summary>A real database is a few MB at most; anything far larger is not one and is not read into memory.</summary>
    public const long MaxDatabaseBytes = 256L * 1024 * 1024;

    public string Name => "apk";

    public int Version => 1;

    public bool Wants(in LayerFile file) => file.Path == DatabasePath;

    public async ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(sink);
        if (file.Length > MaxDatabaseBytes)
        {
            sink.Problem(file.Path, $"apk database of {file.Length} bytes is larger than the {MaxDatabaseBytes} bytes read; skipped");
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(file.Length, 1));
        try
        {
            var length = await content.ReadAtLeastAsync(buffer.AsMemory(0, (int)file.Length), (int)file.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (length < file.Length)
                sink.Problem(file.Path, $"apk database ended after {length} of {file.Length} bytes; reading what is there");
            Report(file.Path, ApkInstalledParser.Parse(buffer.AsSpan(0, length)), sink);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Report(string path, ApkInstalledDatabase database, IDetectionSink sink)
    {
        foreach (var problem in database.Problems) sink.Problem(path, problem);
        foreach (var package in database.Packages)
        {
            sink.Package(new Package
            {
                Type = PurlType.Apk,
                Name = package.Name,
                Version = package.Version,
                SourceName = package.Origin ?? package.Name,
                SourceVersion = package.Version,
                Arch = package.Arch,
                Licenses = package.License is { } license ? [license] : [],
                Path = path,
                Detector = Name,
            });
            foreach (var owned in package.Files) sink.OwnedFile(owned);
        }
    }
}
