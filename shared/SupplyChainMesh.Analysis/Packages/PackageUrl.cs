using System.Text;

namespace SupplyChainMesh.Analysis.Packages;

/// <summary>
/// Formats and parses package URLs (purl spec: <c>pkg:type/namespace/name@version?qualifiers#subpath</c>).
/// Segments are percent-encoded except RFC 3986 unreserved characters (and ':' which the spec leaves as is);
/// qualifiers are sorted by key and empty values dropped, so equal packages give byte-equal purls.
/// </summary>
public sealed record PackageUrl(
    string Type,
    string? Namespace,
    string Name,
    string? Version,
    IReadOnlyDictionary<string, string>? Qualifiers = null,
    string? Subpath = null)
{
    public static string For(Package p)
    {
        var qualifiers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(p.Arch)) qualifiers["arch"] = p.Arch;
        if (!string.IsNullOrEmpty(p.Distro)) qualifiers["distro"] = p.Distro;
        return new PackageUrl(p.Type, p.Namespace, p.Name, p.Version, qualifiers).ToString();
    }

    public override string ToString()
    {
        var sb = new StringBuilder("pkg:");
        sb.Append(Type.ToLowerInvariant()).Append('/');
        if (!string.IsNullOrEmpty(Namespace))
        {
            foreach (var segment in Namespace.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                Encode(sb, segment);
                sb.Append('/');
            }
        }
        Encode(sb, Name);
        if (!string.IsNullOrEmpty(Version))
        {
            sb.Append('@');
            Encode(sb, Version);
        }
        if (Qualifiers is { Count: > 0 })
        {
            var first = true;
            foreach (var (key, value) in Qualifiers.OrderBy(q => q.Key, StringComparer.Ordinal))
            {
                if (string.IsNullOrEmpty(value)) continue;
                sb.Append(first ? '?' : '&').Append(key.ToLowerInvariant()).Append('=');
                Encode(sb, value);
                first = false;
            }
        }
        if (!string.IsNullOrEmpty(Subpath))
        {
            sb.Append('#');
            var segments = Subpath.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s is not "." and not "..");
            sb.AppendJoin('/', segments.Select(s => { var e = new StringBuilder(); Encode(e, s); return e.ToString(); }));
        }
        return sb.ToString();
    }

    /// <summary>Parses a purl; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static PackageUrl Parse(string purl)
    {
        ArgumentNullException.ThrowIfNull(purl);
        if (!purl.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"'{purl}' is not a package URL: it must start with 'pkg:'.");
        var rest = purl[4..].TrimStart('/');
        string? subpath = null;
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0) { subpath = Decode(rest[(hash + 1)..]); rest = rest[..hash]; }
        Dictionary<string, string>? qualifiers = null;
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            qualifiers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in rest[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw new FormatException($"'{purl}' has a qualifier without a value: '{pair}'.");
                qualifiers[pair[..eq].ToLowerInvariant()] = Decode(pair[(eq + 1)..]);
            }
            rest = rest[..question];
        }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0) throw new FormatException($"'{purl}' has no type or no name.");
        var type = rest[..slash].ToLowerInvariant();
        rest = rest[(slash + 1)..].TrimEnd('/');
        string? version = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0 && at > rest.LastIndexOf('/'))
        {
            version = Decode(rest[(at + 1)..]);
            rest = rest[..at];
        }
        var lastSlash = rest.LastIndexOf('/');
        var name = Decode(lastSlash >= 0 ? rest[(lastSlash + 1)..] : rest);
        var ns = lastSlash >= 0 ? string.Join('/', rest[..lastSlash].Split('/').Select(Decode)) : null;
        if (name.Length == 0) throw new FormatException($"'{purl}' has an empty name.");
        return new PackageUrl(type, ns, name, version, qualifiers, subpath);
    }

    private static void Encode(StringBuilder sb, string value)
    {
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '~' or ':')
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value);
}
