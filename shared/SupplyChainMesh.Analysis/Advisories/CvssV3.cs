namespace SupplyChainMesh.Analysis.Advisories;

/// <summary>
/// CVSS v3.0/v3.1 base score from a vector string (FIRST CVSS v3.1 specification, section 7). OSV and GHSA publish only
/// the vector, so the score is computed here; NVD's published scores agree with this formula.
/// </summary>
public static class CvssV3
{
    /// <summary>The kind of a CVSS vector by its prefix; v2 vectors have no prefix.</summary>
    public static CvssKind? KindOf(string vector)
    {
        if (vector.StartsWith("CVSS:3.1/", StringComparison.Ordinal)) return CvssKind.V31;
        if (vector.StartsWith("CVSS:3.0/", StringComparison.Ordinal)) return CvssKind.V30;
        if (vector.StartsWith("CVSS:4.0/", StringComparison.Ordinal)) return CvssKind.V40;
        if (vector.StartsWith("AV:", StringComparison.Ordinal) || vector.StartsWith("(AV:", StringComparison.Ordinal)) return CvssKind.V2;
        return null;
    }

    /// <summary>The base score, or null when the vector is not a complete, valid v3.x vector.</summary>
    public static double? BaseScore(string vector)
    {
        var kind = KindOf(vector);
        if (kind is not (CvssKind.V30 or CvssKind.V31)) return null;
        double av = -1, ac = -1, pr = -1, ui = -1, c = -1, i = -1, a = -1;
        char prLetter = '\0';
        bool? changed = null;
        foreach (var range in vector.AsSpan().Split('/'))
        {
            var part = vector.AsSpan()[range];
            var colon = part.IndexOf(':');
            if (colon <= 0 || colon != part.Length - 2) continue;
            var metric = part[..colon];
            var value = part[^1];
            switch (metric)
            {
                case "AV": av = value switch { 'N' => 0.85, 'A' => 0.62, 'L' => 0.55, 'P' => 0.2, _ => -1 }; break;
                case "AC": ac = value switch { 'L' => 0.77, 'H' => 0.44, _ => -1 }; break;
                case "PR": prLetter = value; break;
                case "UI": ui = value switch { 'N' => 0.85, 'R' => 0.62, _ => -1 }; break;
                case "S": changed = value switch { 'U' => false, 'C' => true, _ => null }; break;
                case "C": c = Cia(value); break;
                case "I": i = Cia(value); break;
                case "A": a = Cia(value); break;
            }
        }
        if (changed is not { } scopeChanged) return null;
        pr = prLetter switch { 'N' => 0.85, 'L' => scopeChanged ? 0.68 : 0.62, 'H' => scopeChanged ? 0.5 : 0.27, _ => -1 };
        if (av < 0 || ac < 0 || pr < 0 || ui < 0 || c < 0 || i < 0 || a < 0) return null;

        var iss = 1 - ((1 - c) * (1 - i) * (1 - a));
        var impact = scopeChanged ? (7.52 * (iss - 0.029)) - (3.25 * Math.Pow(iss - 0.02, 15)) : 6.42 * iss;
        var exploitability = 8.22 * av * ac * pr * ui;
        if (impact <= 0) return 0;
        var raw = scopeChanged ? Math.Min(1.08 * (impact + exploitability), 10) : Math.Min(impact + exploitability, 10);
        return kind == CvssKind.V31 ? RoundUp31(raw) : Math.Ceiling(raw * 10) / 10;
    }

    private static double Cia(char value) => value switch { 'H' => 0.56, 'L' => 0.22, 'N' => 0, _ => -1 };

    // v3.1 Roundup avoids floating-point artefacts (Appendix A of the specification).
    private static double RoundUp31(double value)
    {
        var scaled = (long)Math.Round(value * 100000);
        return scaled % 10000 == 0 ? scaled / 100000.0 : (Math.Floor(scaled / 10000.0) + 1) / 10.0;
    }
}
