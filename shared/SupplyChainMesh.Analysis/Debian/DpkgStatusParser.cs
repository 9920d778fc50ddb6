using System.Text;

namespace SupplyChainMesh.Analysis.Debian;

/// <summary>
/// Parses dpkg's status database (<c>var/lib/dpkg/status</c>, and the one-stanza files of distroless
/// <c>var/lib/dpkg/status.d/</c>) straight from UTF-8 bytes: stanzas separated by blank lines, "Field: value" lines,
/// continuation lines starting with a space or tab (skipped: no field we need spans lines). Only the five fields we
/// need are turned into strings. Malformed stanzas are reported and skipped, never thrown.
/// </summary>
public static class DpkgStatusParser
{
    /// <summary>Parses every stanza with a Package field into <paramref name="entries"/>; problems go to
    /// <paramref name="problems"/> as human-readable reasons.</summary>
    public static void Parse(ReadOnlySpan<byte> content, ICollection<DpkgStatusEntry> entries, ICollection<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var stanza = new Stanza();
        var lineNumber = 0;
        var stanzaLine = 1;
        while (!content.IsEmpty)
        {
            lineNumber++;
            var newline = content.IndexOf((byte)'\n');
            var line = newline < 0 ? content : content[..newline];
            content = newline < 0 ? [] : content[(newline + 1)..];
            if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];

            if (line.IsEmpty || line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
            {
                stanza.Emit(entries, problems, stanzaLine);
                stanza = new Stanza();
                stanzaLine = lineNumber + 1;
                continue;
            }
            if (line[0] is (byte)' ' or (byte)'\t') continue;
            if (line[0] == (byte)'#') continue;

            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                problems?.Add($"line {lineNumber}: not a 'Field: value' line");
                continue;
            }
            var field = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            switch (field.Length)
            {
                case 6 when Ascii.EqualsIgnoreCase(field, "Source"u8):
                    stanza.Source = Decode(value);
                    break;
                case 6 when Ascii.EqualsIgnoreCase(field, "Status"u8):
                    stanza.Status = Decode(value);
                    break;
                case 7 when Ascii.EqualsIgnoreCase(field, "Package"u8):
                    stanza.Package = Decode(value);
                    break;
                case 7 when Ascii.EqualsIgnoreCase(field, "Version"u8):
                    stanza.Version = Decode(value);
                    break;
                case 12 when Ascii.EqualsIgnoreCase(field, "Architecture"u8):
                    stanza.Architecture = Architecture(value);
                    break;
            }
        }
        stanza.Emit(entries, problems, stanzaLine);
    }

    /// <summary>Parses and keeps installed packages only.</summary>
    public static List<DpkgStatusEntry> ParseInstalled(ReadOnlySpan<byte> content, ICollection<string>? problems = null)
    {
        var all = new List<DpkgStatusEntry>();
        Parse(content, all, problems);
        all.RemoveAll(e => !e.IsInstalled);
        return all;
    }

    /// <summary>"install ok installed" and "hold ok installed" are installed; everything else (config-files,
    /// half-installed, deinstall ...) is not.</summary>
    public static bool IsInstalledStatus(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var words = status.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 3 && words[0] is ("install" or "hold") && words[2] == "installed";
    }

    private static string Decode(ReadOnlySpan<byte> value) => Encoding.UTF8.GetString(value);

    /// <summary>Architectures repeat in every stanza: share the common ones instead of allocating.</summary>
    private static string Architecture(ReadOnlySpan<byte> value) => value switch
    {
        _ when value.SequenceEqual("amd64"u8) => "amd64",
        _ when value.SequenceEqual("all"u8) => "all",
        _ when value.SequenceEqual("arm64"u8) => "arm64",
        _ when value.SequenceEqual("i386"u8) => "i386",
        _ => Decode(value),
    };

    private struct Stanza
    {
        public string? Package;
        public string? Version;
        public string? Architecture;
        public string? Source;
        public string? Status;

        public readonly void Emit(ICollection<DpkgStatusEntry> entries, ICollection<string>? problems, int line)
        {
            if (Package is null && Version is null && Source is null && Status is null && Architecture is null) return;
            if (string.IsNullOrEmpty(Package))
            {
                problems?.Add($"stanza at line {line}: no Package field; skipped");
                return;
            }
            if (string.IsNullOrEmpty(Version))
            {
                // dpkg keeps stanzas of packages that are known but not installed ("not-installed") without a version.
                if (Status is null || IsInstalledStatus(Status))
                    problems?.Add($"stanza at line {line} ({Package}): no Version field; skipped");
                return;
            }
            var sourceName = Package;
            var sourceVersion = Version;
            if (!string.IsNullOrEmpty(Source))
            {
                // "Source: name" or "Source: name (version)" when the source version differs from the binary's.
                var open = Source.IndexOf('(', StringComparison.Ordinal);
                if (open < 0)
                {
                    sourceName = Source.Trim();
                }
                else
                {
                    sourceName = Source[..open].Trim();
                    var close = Source.IndexOf(')', open + 1);
                    var inner = (close < 0 ? Source[(open + 1)..] : Source[(open + 1)..close]).Trim();
                    if (inner.Length > 0) sourceVersion = inner;
                }
                if (sourceName.Length == 0) sourceName = Package;
            }
            entries.Add(new DpkgStatusEntry(Package, Version, Architecture, sourceName, sourceVersion, Status));
        }
    }
}
