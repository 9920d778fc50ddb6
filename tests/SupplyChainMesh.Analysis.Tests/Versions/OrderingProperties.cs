using CsCheck;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Tests.Versions;

/// <summary>The laws every version ordering must keep, checked on generated versions.</summary>
internal static class OrderingProperties
{
    public static void Hold(IVersionScheme scheme, Gen<string> versions, long iterations = 20_000)
    {
        versions.Select(versions, versions).Sample((a, b, c) =>
        {
            var ab = Math.Sign(scheme.Compare(a, b));
            var ba = Math.Sign(scheme.Compare(b, a));
            var bc = Math.Sign(scheme.Compare(b, c));
            var ac = Math.Sign(scheme.Compare(a, c));
            if (scheme.Compare(a, a) != 0) throw new InvalidOperationException($"not reflexive: {a}");
            if (ab != -ba) throw new InvalidOperationException($"not antisymmetric: {a} vs {b} gives {ab}, reverse {ba}");
            if (ab <= 0 && bc <= 0 && ac > 0) throw new InvalidOperationException($"not transitive: {a} <= {b} <= {c} but {a} > {c}");
            if (ab >= 0 && bc >= 0 && ac < 0) throw new InvalidOperationException($"not transitive: {a} >= {b} >= {c} but {a} < {c}");
            if (ab == 0 && bc == 0 && ac != 0) throw new InvalidOperationException($"equality not transitive: {a} = {b} = {c} but {a} != {c}");
        }, iter: iterations);
    }

    /// <summary>Checks that each version in the list sorts strictly before every later one.</summary>
    public static void AscendingStrictly(IVersionScheme scheme, IReadOnlyList<string> ordered)
    {
        for (var i = 0; i < ordered.Count; i++)
        {
            for (var j = i + 1; j < ordered.Count; j++)
            {
                Assert.True(scheme.Compare(ordered[i], ordered[j]) < 0, $"expected {ordered[i]} < {ordered[j]}");
                Assert.True(scheme.Compare(ordered[j], ordered[i]) > 0, $"expected {ordered[j]} > {ordered[i]}");
            }
        }
    }

    /// <summary>Parses "a &lt; b", "a = b", "a &gt; b" lines into expected signs.</summary>
    public static int Sign(string op) => op switch
    {
        "<" => -1,
        "=" or "==" => 0,
        ">" => 1,
        _ => throw new ArgumentException($"unknown operator '{op}'", nameof(op)),
    };
}
