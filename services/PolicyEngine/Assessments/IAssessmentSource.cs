using SupplyChainMesh.Policy.Assessments;

namespace SupplyChainMesh.PolicyEngine.Assessments;

/// <summary>
/// Where image assessments come from (FeedSync owns the vulnerability reports). Null means "no such report or image";
/// a failure to reach the source throws, so a consumer retries.
/// </summary>
public interface IAssessmentSource
{
    Task<ImageAssessment?> GetByReportAsync(Guid reportId, CancellationToken cancellationToken);

    /// <summary>The latest report of an image (<paramref name="digest"/> in <paramref name="repository"/>), and its id.</summary>
    Task<(Guid ReportId, ImageAssessment Assessment)?> GetLatestAsync(string repository, string digest, CancellationToken cancellationToken);
}
