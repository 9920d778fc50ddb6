using System.IO.Compression;
using System.Text;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Maven;

/// <summary>
/// Java archives (jar, war, ear, par, sar) and the archives nested in them, as Trivy's jar analyzer reads them:
/// every valid <c>META-INF/maven/**/pom.properties</c> is a package; when none of them describes the archive itself
/// (artifactId and version of its file name), the manifest's Implementation-/Specification-/Bundle- fields do.
/// Trivy then asks its Java index for the archive's SHA-1 or its file name's artifactId; we have no such index, so an
/// archive with neither is reported as a problem-free nothing.
/// A zip needs random access, so an archive is buffered whole in memory up to <see cref="JarDetectorOptions.MaxArchiveBytes"/>;
/// nesting depth and the bytes inflated per layer file are bounded against zip bombs.
/// </summary>
public sealed class JarDetector(JarDetectorOptions? options = null) : IPackageDetector
{
    private readonly JarDetectorOptions _options = options ?? new JarDetectorOptions();

    public string Name => "jar";

    public int Version => 1;

    public bool Wants(in LayerFile file) => IsArchiveName(file.FileName);

    private static bool IsArchiveName(ReadOnlySpan<char> name) =>
        name.EndsWith(".jar", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".war", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".ear", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".par", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".sar", StringComparison.OrdinalIgnoreCase);

    public async ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken)
    {
        if (file.Length > _options.MaxArchiveBytes)
        {
            sink.Problem(file.Path, $"Java archive of {file.Length} bytes is over the {_options.MaxArchiveBytes}-byte limit; skipped");
            return;
        }
        using var buffer = await PooledFileContent.ReadAsync(content, file.Length, _options.MaxArchiveBytes, cancellationToken).ConfigureAwait(false);
        if (buffer is null)
        {
            sink.Problem(file.Path, $"Java archive is over the {_options.MaxArchiveBytes}-byte limit; skipped");
            return;
        }
        var walk = new ArchiveWalk(_options, file.Path, sink);
        var found = new List<MavenCoordinates>();
        walk.Read(buffer.Memory, file.FileName.ToString(), file.Path, depth: 0, found);
        foreach (var coordinates in found.Distinct())
        {
            sink.Package(new Package
            {
                Type = PurlType.Maven,
                Namespace = coordinates.GroupId,
                Name = coordinates.ArtifactId,
                Version = coordinates.Version,
                Path = file.Path,
                Detector = Name,
            });
        }
    }

    /// <summary>One layer file's archive and everything nested in it, with a shared inflation budget.</summary>
    private sealed class ArchiveWalk(JarDetectorOptions options, string layerPath, IDetectionSink sink)
    {
        private long _inflated;

        public void Read(ReadOnlyMemory<byte> archive, string fileName, string displayPath, int depth, List<MavenCoordinates> found)
        {
            ZipArchive zip;
            try
            {
                zip = new ZipArchive(new ReadOnlyMemoryStream(archive), ZipArchiveMode.Read, leaveOpen: false, Encoding.UTF8);
            }
            catch (InvalidDataException ex)
            {
                sink.Problem(layerPath, $"{displayPath} is not a readable zip: {ex.Message}");
                return;
            }
            using (zip)
            {
                var self = MavenCoordinates.FromFileName(fileName);
                var stem = Path.GetFileNameWithoutExtension(fileName);
                var describesSelf = false;
                var ownPoms = 0;
                JarManifest? manifest = null;
                try
                {
                    foreach (var entry in zip.Entries)
                    {
                        var name = entry.FullName;
                        var baseName = name.AsSpan(name.LastIndexOf('/') + 1);
                        if (baseName.SequenceEqual("pom.properties"))
                        {
                            if (ReadText(entry, displayPath) is not { } text) continue;
                            if (MavenCoordinates.FromPomProperties(text) is { } coordinates)
                            {
                                found.Add(coordinates);
                                ownPoms++;
                                // Trivy's test: artifactId and version of the file name. Distributions drop the version
                                // from file names (Debian's /usr/share/java/commons-io.jar), so a bare artifactId counts too.
                                if ((self is { } s && s.ArtifactId == coordinates.ArtifactId && s.Version == coordinates.Version)
                                    || coordinates.ArtifactId == stem)
                                {
                                    describesSelf = true;
                                }
                            }
                        }
                        else if (name.Equals("META-INF/MANIFEST.MF", StringComparison.OrdinalIgnoreCase))
                        {
                            if (ReadText(entry, displayPath) is { } text) manifest = JarManifest.Parse(text);
                        }
                        else if (IsArchiveName(baseName) && !name.EndsWith('/'))
                        {
                            ReadNested(entry, displayPath, depth, found);
                        }
                    }
                }
                catch (InvalidDataException ex)
                {
                    sink.Problem(layerPath, $"{displayPath} is a corrupt zip: {ex.Message}");
                    return;
                }
                // A single pom.properties in an archive is the archive's own (shaded jars carry several).
                if (ownPoms == 1) describesSelf = true;
                // Manifest titles and vendors are often prose ("Apache Commons IO", "The Apache Software Foundation"):
                // Trivy checks such guesses against its Java index; without one, only Maven-shaped coordinates are kept.
                if (!describesSelf && manifest is not null)
                {
                    if (manifest.Coordinates() is { IsMavenShaped: true } fromManifest) found.Add(fromManifest);
                    else if (self is { } s && manifest.CoordinatesFromBundleAndFileName(s.ArtifactId, s.Version) is { } fromBundle) found.Add(fromBundle);
                }
            }
        }

        private void ReadNested(ZipArchiveEntry entry, string displayPath, int depth, List<MavenCoordinates> found)
        {
            var nestedPath = displayPath + "/" + entry.FullName;
            if (depth + 1 > options.MaxNestingDepth)
            {
                sink.Problem(layerPath, $"{nestedPath} is nested deeper than {options.MaxNestingDepth} archives; skipped");
                return;
            }
            if (ReadBytes(entry, nestedPath, options.MaxArchiveBytes) is not { } bytes) return;
            Read(bytes, entry.Name, nestedPath, depth + 1, found);
        }

        private string? ReadText(ZipArchiveEntry entry, string displayPath)
        {
            var bytes = ReadBytes(entry, displayPath + "/" + entry.FullName, options.MaxMetadataBytes);
            return bytes is null ? null : Encoding.UTF8.GetString(bytes);
        }

        /// <summary>
        /// Inflates an entry, stopping at <paramref name="limit"/> bytes or when the walk's budget is spent: the sizes
        /// in a zip's directory are claims, and a bomb lies about them.
        /// </summary>
        private byte[]? ReadBytes(ZipArchiveEntry entry, string entryPath, long limit)
        {
            var remainingBudget = options.MaxInflatedBytesPerFile - _inflated;
            var cap = Math.Min(limit, remainingBudget);
            if (entry.Length > cap)
            {
                sink.Problem(layerPath, $"{entryPath} claims {entry.Length} bytes, over the limit of {cap}; skipped");
                return null;
            }
            using var stream = entry.Open();
            var buffer = new byte[Math.Max(0, entry.Length)];
            var total = 0;
            while (total < buffer.Length)
            {
                var read = stream.Read(buffer, total, buffer.Length - total);
                if (read == 0) break;
                total += read;
            }
            _inflated += total;
            if (total < buffer.Length)
            {
                sink.Problem(layerPath, $"{entryPath} inflates to {total} bytes, less than the {entry.Length} its directory claims; skipped");
                return null;
            }
            // One byte more than claimed means the directory lied (or the data is corrupt).
            Span<byte> probe = stackalloc byte[1];
            if (stream.Read(probe) != 0)
            {
                sink.Problem(layerPath, $"{entryPath} inflates past the {entry.Length} bytes its directory claims; skipped");
                return null;
            }
            return buffer;
        }
    }
}
