namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// Normalises tar entry names to <see cref="LayerFile.Path"/> form: relative to the image root, '/'-separated, no leading
/// '/' or './', no '.' or empty segments, no trailing '/'. '..' is resolved; a name that climbs above the root is
/// rejected (a hostile layer must not name files outside the image). Already-clean names, nearly all of them, are
/// returned as they are without allocating.
/// </summary>
public static class TarPath
{
    /// <summary>Returns false when <paramref name="name"/> escapes the root. The root itself normalises to "".</summary>
    public static bool TryNormalize(string name, out string path)
    {
        if (IsClean(name))
        {
            path = name;
            return true;
        }
        var segments = new List<string>();
        foreach (var range in name.AsSpan().Split('/'))
        {
            var segment = name.AsSpan(range);
            if (segment.IsEmpty || segment is ".") continue;
            if (segment is "..")
            {
                if (segments.Count == 0)
                {
                    path = "";
                    return false;
                }
                segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment.ToString());
        }
        path = string.Join('/', segments);
        return true;
    }

    /// <summary>The directory part of a normalised path ("" at the root).</summary>
    public static ReadOnlySpan<char> Directory(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? [] : path.AsSpan(0, slash);
    }

    /// <summary>Joins a normalised directory and a file name.</summary>
    public static string Join(ReadOnlySpan<char> directory, ReadOnlySpan<char> name) =>
        directory.IsEmpty ? name.ToString() : string.Concat(directory, "/", name);

    /// <summary>True when <paramref name="path"/> is <paramref name="ancestor"/> or lies below it.</summary>
    public static bool IsSameOrBelow(string path, string ancestor) =>
        ancestor.Length == 0
        || (path.StartsWith(ancestor, StringComparison.Ordinal)
            && (path.Length == ancestor.Length || path[ancestor.Length] == '/'));

    private static bool IsClean(string name)
    {
        if (name.Length == 0 || name[0] == '/' || name[^1] == '/') return false;
        var span = name.AsSpan();
        // Fast path: without "//", "/." or a leading '.', no segment can be empty, "." or "..".
        if (span[0] != '.' && !span.Contains("/.", StringComparison.Ordinal) && !span.Contains("//", StringComparison.Ordinal))
            return true;
        // A segment is bad when it is empty, "." or "..": look at every segment start.
        var start = 0;
        while (true)
        {
            var rest = span[start..];
            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            if (segment.IsEmpty || segment is "." or "..") return false;
            if (slash < 0) return true;
            start += slash + 1;
        }
    }
}
