using SupplyChainMesh.Policy.Assessments;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>
/// What a criterion sees: the image, its findings after exceptions and VEX suppressed what they cover, the clock
/// and the version comparer. Built once per image and shared by every policy evaluated against it.
/// </summary>
public sealed class EvaluationContext
{
    public EvaluationContext(ImageAssessment assessment, IReadOnlyList<Finding> activeFindings, DateTimeOffset now, IVersionComparer versions)
    {
        Assessment = assessment;
        Findings = activeFindings;
        Now = now;
        Versions = versions;
    }

    public ImageAssessment Assessment { get; }

    /// <summary>The findings that still count: exceptions and VEX statements have removed the ones they cover.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    public DateTimeOffset Now { get; }

    public IVersionComparer Versions { get; }
}
