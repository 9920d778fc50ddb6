using System.Text;
using System.Text.RegularExpressions;

namespace SupplyChainMesh.Analysis.Distributions;

/// <summary>
/// Parses the files that name a Linux distribution: os-release (systemd's KEY=value format), lsb-release,
/// <c>debian_version</c>, <c>alpine-release</c> and the Red Hat family's one-line <c>*-release</c> files.
/// Returns null when the file does not name a distribution.
/// </summary>
public static partial class ReleaseFileParser
{
    /// <summary>Parses the release file at <paramref name="path"/> (normalised layer path) from its text.</summary>
    public static Distribution? Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        return path switch
        {
            "etc/os-release" or "usr/lib/os-release" => ParseOsRelease(text),
            "etc/lsb-release" => ParseLsbRelease(text),
            "etc/debian_version" => ParseDebianVersion(text),
            "etc/alpine-release" => ParseAlpineRelease(text),
            _ => ParseRedHatRelease(text),
        };
    }

    /// <summary>os-release(5): ID, VERSION_ID, VERSION_CODENAME, PRETTY_NAME.</summary>
    public static Distribution? ParseOsRelease(string text)
    {
        var fields = ParseAssignments(text);
        if (!fields.TryGetValue("ID", out var id) || id.Length == 0) return null;
        fields.TryGetValue("VERSION_ID", out var versionId);
        fields.TryGetValue("VERSION_CODENAME", out var codename);
        fields.TryGetValue("PRETTY_NAME", out var prettyName);
        if (string.IsNullOrEmpty(codename) && fields.TryGetValue("UBUNTU_CODENAME", out var ubuntuCodename)) codename = ubuntuCodename;
        return new Distribution(id.ToLowerInvariant(), NullIfEmpty(versionId), NullIfEmpty(codename), NullIfEmpty(prettyName));
    }

    /// <summary>lsb-release: DISTRIB_ID, DISTRIB_RELEASE, DISTRIB_CODENAME, DISTRIB_DESCRIPTION.</summary>
    public static Distribution? ParseLsbRelease(string text)
    {
        var fields = ParseAssignments(text);
        if (!fields.TryGetValue("DISTRIB_ID", out var id) || id.Length == 0) return null;
        fields.TryGetValue("DISTRIB_RELEASE", out var release);
        fields.TryGetValue("DISTRIB_CODENAME", out var codename);
        fields.TryGetValue("DISTRIB_DESCRIPTION", out var description);
        return new Distribution(id.ToLowerInvariant(), NullIfEmpty(release), NullIfEmpty(codename), NullIfEmpty(description));
    }

    /// <summary>
    /// <c>etc/debian_version</c>: "12.4" names Debian 12 (os-release's VERSION_ID is the major number);
    /// "bookworm/sid" names testing or unstable, which have no version.
    /// </summary>
    public static Distribution? ParseDebianVersion(string text)
    {
        var line = FirstLine(text);
        if (line.Length == 0) return null;
        if (char.IsAsciiDigit(line[0]))
        {
            var dot = line.IndexOf('.', StringComparison.Ordinal);
            return new Distribution("debian", dot < 0 ? line : line[..dot]);
        }
        var slash = line.IndexOf('/', StringComparison.Ordinal);
        return new Distribution("debian", null, slash < 0 ? line : line[..slash]);
    }

    public static Distribution? ParseAlpineRelease(string text)
    {
        var line = FirstLine(text);
        return line.Length == 0 || !char.IsAsciiDigit(line[0]) ? null : new Distribution("alpine", line);
    }

    /// <summary>"CentOS Linux release 7.6.1810 (Core)", "Oracle Linux Server release 7.9", "Fedora release 29 (Twenty Nine)".</summary>
    public static Distribution? ParseRedHatRelease(string text)
    {
        var line = FirstLine(text);
        var match = RedHatReleasePattern().Match(line);
        if (!match.Success) return null;
        var name = match.Groups["name"].Value;
        var version = match.Groups["version"].Value;
        string? id = name switch
        {
            _ when name.StartsWith("Red Hat", StringComparison.OrdinalIgnoreCase) => "rhel",
            _ when name.StartsWith("CentOS", StringComparison.OrdinalIgnoreCase) => "centos",
            _ when name.StartsWith("Oracle", StringComparison.OrdinalIgnoreCase) => "ol",
            _ when name.StartsWith("Fedora", StringComparison.OrdinalIgnoreCase) => "fedora",
            _ when name.StartsWith("AlmaLinux", StringComparison.OrdinalIgnoreCase) => "almalinux",
            _ when name.StartsWith("Rocky", StringComparison.OrdinalIgnoreCase) => "rocky",
            _ => null,
        };
        if (id is null) return null;
        // os-release's VERSION_ID is the major version for CentOS and Fedora, major.minor for the others.
        if (id is "centos" or "fedora")
        {
            var dot = version.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0) version = version[..dot];
        }
        return new Distribution(id, version, PrettyName: line);
    }

    /// <summary>Shell-style KEY=value lines; values may be single- or double-quoted with backslash escapes.</summary>
    public static Dictionary<string, string> ParseAssignments(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan(range).Trim();
            if (line.IsEmpty || line[0] == '#') continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line[..eq].Trim().ToString();
            fields[key] = Unquote(line[(eq + 1)..].Trim());
        }
        return fields;
    }

    private static string Unquote(ReadOnlySpan<char> value)
    {
        if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
        {
            var quote = value[0];
            value = value[1..^1];
            if (quote == '\'' || value.IndexOf('\\') < 0) return value.ToString();
            var sb = new StringBuilder(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] == '\\' && i + 1 < value.Length) i++;
                sb.Append(value[i]);
            }
            return sb.ToString();
        }
        return value.ToString();
    }

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).Trim();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    [GeneratedRegex(@"^(?<name>.+?)\s+release\s+(?<version>\d+(?:\.\d+)*)", RegexOptions.CultureInvariant)]
    private static partial Regex RedHatReleasePattern();
}
