using System.Globalization;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Rpm;

/// <summary>
/// Reports the packages of an rpm database (SQLite, Berkeley DB or ndb, wherever rpm keeps it) and of CBL-Mariner
/// distroless manifests, with the files each package owns. gpg-pubkey pseudo-packages are not reported.
/// </summary>
/// <remarks>
/// <para><see cref="Package.Version"/> is <c>VERSION-RELEASE</c>, or <c>EPOCH:VERSION-RELEASE</c> when the epoch is
/// above 0, the form rpm's own version comparison and the distributions' advisories use; purl readers that want
/// Trivy's separate <c>epoch</c> qualifier split at the first ':' (versions cannot contain one). The source version
/// carries the binary's epoch too: a SOURCERPM file name has none, and rpm builds binaries with their source's epoch.</para>
/// <para>The databases need random access (and SQLite a file), so the layer's forward-only stream is copied to a
/// temporary file that is deleted when detection ends.</para>
/// </remarks>
public sealed class RpmPackageDetector : IPackageDetector
{
    /// <summary>The CBL-Mariner distroless manifest.</summary>
    public const string ManifestPath = "var/lib/rpmmanifest/container-manifest-2";

    /// <summary>Larger files are not rpm databases of any image we could scan in bounded time; they are skipped.</summary>
    public const long MaxDatabaseBytes = 1L << 30;

    /// <summary>A manifest is a line a package (a few KB); it is read into memory, so it is bounded.</summary>
    public const long MaxManifestBytes = 64L << 20;

    public string Name => "rpm";

    public int Version => 1;

    public bool Wants(in LayerFile file) => file.Path is
        "var/lib/rpm/Packages" or "var/lib/rpm/rpmdb.sqlite" or "var/lib/rpm/Packages.db"
        or "usr/lib/sysimage/rpm/rpmdb.sqlite" or "usr/lib/sysimage/rpm/Packages.db" or "usr/lib/sysimage/rpm/Packages"
        or ManifestPath;

    public async ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(sink);
        var path = file.Path;
        if (path == ManifestPath)
        {
            if (file.Length > MaxManifestBytes)
            {
                sink.Problem(path, string.Create(CultureInfo.InvariantCulture, $"rpm manifest of {file.Length} bytes exceeds {MaxManifestBytes}; skipped"));
                return;
            }
            using var reader = new StreamReader(content, leaveOpen: true);
            var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            using var lines = new StringReader(text);
            Report(path, RpmManifestParser.Parse(lines, reason => sink.Problem(path, reason)), sink, cancellationToken);
            return;
        }
        if (file.Length > MaxDatabaseBytes)
        {
            sink.Problem(path, string.Create(CultureInfo.InvariantCulture, $"rpm database of {file.Length} bytes exceeds {MaxDatabaseBytes}; skipped"));
            return;
        }
        if (file.Length == 0) return;

        var spool = Path.Combine(Path.GetTempPath(), $"scm-rpmdb-{Guid.NewGuid():N}");
        var copy = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (copy.ConfigureAwait(false))
        {
            await content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            await copy.FlushAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                Report(path, RpmDatabase.ReadHeaders(spool, reason => sink.Problem(path, reason)), sink, cancellationToken);
            }
            catch (RpmDatabaseFormatException e)
            {
                sink.Problem(path, e.Message);
            }
            catch (IOException e)
            {
                sink.Problem(path, $"rpm database could not be read: {e.Message}");
            }
        }
    }

    private void Report(string path, IEnumerable<RpmHeader> headers, IDetectionSink sink, CancellationToken cancellationToken)
    {
        foreach (var header in headers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (header.IsGpgPubkey) continue;
            sink.Package(ToPackage(header, path, Name));
            foreach (var owned in header.Files) sink.OwnedFile(owned);
        }
    }

    /// <summary>The package record for one header (public so that other rpm-shaped sources report the same fields).</summary>
    public static Package ToPackage(RpmHeader header, string path, string detector)
    {
        ArgumentNullException.ThrowIfNull(header);
        string? sourceName = null, sourceVersion = null;
        if (SourceRpm.TryParse(header.SourceRpm, out var name, out var version, out var release))
        {
            sourceName = name;
            sourceVersion = RpmHeader.FormatVersion(header.Epoch, version, release);
        }
        return new Package
        {
            Type = PurlType.Rpm,
            Name = header.Name,
            Version = header.EpochVersionRelease,
            SourceName = sourceName,
            SourceVersion = sourceVersion,
            Arch = header.Arch,
            Licenses = header.License is { Length: > 0 } license ? [license] : [],
            Path = path,
            Detector = detector,
        };
    }
}
