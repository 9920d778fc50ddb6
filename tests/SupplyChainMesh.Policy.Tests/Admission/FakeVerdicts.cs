using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Policy.Admission;
using SupplyChainMesh.Policy.Assessments;

namespace SupplyChainMesh.Policy.Tests.Admission;

/// <summary>An in-memory verdict store keyed by the normalised reference (registry/repository[:tag][@digest]), recording lookups.</summary>
internal sealed class FakeVerdicts : IImageVerdictLookup
{
    private readonly Dictionary<string, ImageVerdict> _verdicts = new(StringComparer.Ordinal);

    public List<string> Lookups { get; } = [];

    public Exception? Throw { get; set; }

    public FakeVerdicts Add(string reference, ImageVerdict verdict)
    {
        _verdicts[Key(ImageReference.Parse(reference))] = verdict;
        return this;
    }

    public ValueTask<ImageVerdict?> FindAsync(ImageReference image, CancellationToken cancellationToken)
    {
        Lookups.Add(Key(image));
        if (Throw is not null) throw Throw;
        return ValueTask.FromResult(_verdicts.GetValueOrDefault(Key(image)));
    }

    private static string Key(ImageReference r) => $"{r.Name}{(r.Digest is null ? ":" + r.Tag : "@" + r.Digest)}";

    public static ImageVerdict Clean(string digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111", params string[] policies) => new()
    {
        Digest = digest,
        Scanned = true,
        SatisfiedPolicies = new HashSet<string>(policies),
        HighestSeverity = Severity.Low,
        FindingCounts = new Dictionary<Severity, int> { [Severity.Low] = 2 },
    };

    public static ImageVerdict Vulnerable(params string[] kev) => new()
    {
        Digest = "sha256:2222222222222222222222222222222222222222222222222222222222222222",
        Scanned = true,
        HighestSeverity = Severity.Critical,
        FindingCounts = new Dictionary<Severity, int> { [Severity.Critical] = 1, [Severity.High] = 3, [Severity.Medium] = 4 },
        KevFindings = kev,
    };
}
