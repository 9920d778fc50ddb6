namespace SupplyChainMesh.Analysis.Go;

/// <summary>
/// A main-module version stamped at build time with <c>-ldflags "-X main.version=1.2.3"</c>, found in the
/// <c>-ldflags</c> build setting the way Trivy looks for it: keys ending in <c>.version</c> or <c>.ver</c> whose value is
/// a semantic version; keys under <c>&lt;module&gt;/cmd/</c> win over keys of packages named main, common, version or
/// cmd, which win over the rest; two candidates of the same rank mean no answer.
/// </summary>
internal static class LdflagsVersion
{
    public static string? Find(string modulePath, IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        var ldflags = settings.FirstOrDefault(s => s.Key == "-ldflags").Value;
        if (string.IsNullOrEmpty(ldflags)) return null;
        var ranks = new List<string>[] { [], [], [] };
        var words = Words(ldflags);
        for (var i = 0; i < words.Count; i++)
        {
            string? assignment = null;
            var word = words[i];
            if (word is "-X" or "--X") assignment = i + 1 < words.Count ? words[++i] : null;
            else if (word.StartsWith("-X=", StringComparison.Ordinal)) assignment = word[3..];
            if (assignment is null) continue;
            var eq = assignment.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            var key = assignment[..eq].Trim('\'');
            var value = assignment[(eq + 1)..].Trim('\'');
            var lower = key.ToLowerInvariant();
            if (!(lower.EndsWith(".version", StringComparison.Ordinal) || lower.EndsWith(".ver", StringComparison.Ordinal)) || !IsSemVer(value)) continue;
            var rank = key.StartsWith(modulePath + "/cmd/", StringComparison.Ordinal) ? 0
                : PackageName(lower) is "main" or "common" or "version" or "cmd" ? 1
                : 2;
            if (!ranks[rank].Contains(value)) ranks[rank].Add(value);
        }
        foreach (var candidates in ranks)
        {
            if (candidates.Count == 1) return candidates[0];
            if (candidates.Count > 1) return null;
        }
        return null;
    }

    private static string PackageName(string key)
    {
        var slash = key.LastIndexOf('/');
        var last = slash >= 0 ? key[(slash + 1)..] : key;
        var dot = last.IndexOf('.', StringComparison.Ordinal);
        return dot >= 0 ? last[..dot] : last;
    }

    private static bool IsSemVer(string value)
    {
        var v = value.StartsWith('v') ? value[1..] : value;
        var core = v.Split(['-', '+'], 2)[0];
        var parts = core.Split('.');
        return parts.Length is >= 1 and <= 3 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit));
    }

    /// <summary>Splits a command line into words, honouring single and double quotes.</summary>
    private static List<string> Words(string commandLine)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        char quote = '\0';
        var inWord = false;
        foreach (var c in commandLine)
        {
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else current.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(current.ToString());
        return words;
    }
}
