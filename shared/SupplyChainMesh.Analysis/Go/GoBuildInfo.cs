namespace SupplyChainMesh.Analysis.Go;

/// <summary>A module as the Go linker records it in build info: path, version (may be empty) and its replacement.</summary>
internal sealed record GoModule(string Path, string Version, GoModule? Replace = null);

/// <summary>
/// What <c>runtime/debug.BuildInfo</c> holds: the toolchain version, the main module and its dependencies, and the
/// build settings (<c>-ldflags</c>, <c>vcs.revision</c>, ...). Parsed from the modinfo text the linker embeds:
/// tab-separated lines <c>path</c>, <c>mod</c>, <c>dep</c>, <c>=&gt;</c> (replaces the line before) and <c>build</c>.
/// </summary>
internal sealed record GoBuildInfo(string GoVersion, string? MainPath, GoModule? Main, IReadOnlyList<GoModule> Deps, IReadOnlyList<KeyValuePair<string, string>> Settings)
{
    public static GoBuildInfo Parse(string goVersion, string modInfo)
    {
        string? path = null;
        GoModule? main = null;
        var deps = new List<GoModule>();
        var settings = new List<KeyValuePair<string, string>>();
        foreach (var rawLine in modInfo.AsSpan().EnumerateLines())
        {
            var line = rawLine.TrimEnd('\r');
            var tab = line.IndexOf('\t');
            if (tab < 0) continue;
            var kind = line[..tab];
            var rest = line[(tab + 1)..];
            if (kind.SequenceEqual("path")) path = rest.ToString();
            else if (kind.SequenceEqual("mod")) main = Module(rest);
            else if (kind.SequenceEqual("dep") && Module(rest) is { } dep) deps.Add(dep);
            else if (kind.SequenceEqual("=>") && Module(rest) is { } replacement)
            {
                // A replacement applies to the line just before it: the last dep, or the main module.
                if (deps.Count > 0) deps[^1] = deps[^1] with { Replace = replacement };
                else if (main is not null) main = main with { Replace = replacement };
            }
            else if (kind.SequenceEqual("build"))
            {
                var eq = rest.IndexOf('=');
                if (eq > 0) settings.Add(new(rest[..eq].ToString(), Unquote(rest[(eq + 1)..].ToString())));
            }
        }
        return new GoBuildInfo(goVersion, path, main, deps, settings);
    }

    private static GoModule? Module(ReadOnlySpan<char> fields)
    {
        // path \t version \t sum (version and sum may be missing)
        var tab = fields.IndexOf('\t');
        var modulePath = (tab < 0 ? fields : fields[..tab]).ToString();
        if (modulePath.Length == 0) return null;
        var version = "";
        if (tab >= 0)
        {
            var rest = fields[(tab + 1)..];
            var next = rest.IndexOf('\t');
            version = (next < 0 ? rest : rest[..next]).ToString();
        }
        return new GoModule(modulePath, version);
    }

    // Build setting values containing spaces or quotes are written with strconv.Quote.
    private static string Unquote(string value)
    {
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"') return value;
        try
        {
            // strconv.Quote's escapes are a subset of JSON's; a JsonDocument (not the serializer) keeps this AOT-safe.
            using var quoted = System.Text.Json.JsonDocument.Parse(value);
            return quoted.RootElement.GetString() ?? value;
        }
        catch (System.Text.Json.JsonException)
        {
            return value;
        }
    }
}
