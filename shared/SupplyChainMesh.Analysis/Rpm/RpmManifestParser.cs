using System.Globalization;

namespace SupplyChainMesh.Analysis.Rpm;

/// <summary>
/// Parses CBL-Mariner/Azure Linux distroless images' <c>var/lib/rpmmanifest/container-manifest-2</c>, which replaces
/// the rpm database there: one package a line, tab-separated NAME, VERSION-RELEASE, INSTALLTIME, BUILDTIME, VENDOR,
/// EPOCH (or <c>(none)</c>), SIZE, ARCH, EPOCHNUM, SOURCERPM. It lists no files.
/// </summary>
public static class RpmManifestParser
{
    private const int Columns = 10;

    public static IReadOnlyList<RpmHeader> Parse(TextReader reader, Action<string> problem)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(problem);
        var headers = new List<RpmHeader>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split('\t');
            var versionRelease = fields.Length >= Columns ? fields[1] : "";
            var dash = versionRelease.LastIndexOf('-');
            if (fields.Length < Columns || fields[0].Length == 0 || dash <= 0 || dash == versionRelease.Length - 1)
            {
                problem(string.Create(CultureInfo.InvariantCulture,
                    $"line {lineNumber} is not NAME, VERSION-RELEASE and 8 more tab-separated fields; skipped"));
                continue;
            }
            int? epoch = int.TryParse(fields[5], NumberStyles.None, CultureInfo.InvariantCulture, out var e) ? e : null;
            headers.Add(new RpmHeader(
                Name: fields[0],
                Epoch: epoch,
                Version: versionRelease[..dash],
                Release: versionRelease[(dash + 1)..],
                Arch: NullIfNone(fields[7]),
                License: null,
                SourceRpm: NullIfNone(fields[9]),
                Files: []));
        }
        return headers;
    }

    private static string? NullIfNone(string value) => value.Length == 0 || value == "(none)" ? null : value;
}
