using MassTransit;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.PolicyEngine.Assessments;

namespace SupplyChainMesh.PolicyEngine.Evaluation;

/// <summary>
/// Evaluates every policy on an assessed image: fetches the assessment, applies exceptions and VEX (uploaded, and
/// attached to the image as OCI referrers), and stores the latest verdict per (policy, registry, repository, digest,
/// tag) through <see cref="ImageEvaluator"/>. A verdict is published (<see cref="PolicySatisfied"/> or
/// <see cref="PolicyViolated"/>) only when its fingerprint changed, so re-evaluating an unchanged image against
/// unchanged policies publishes nothing; the inbox (<c>InboxFilter</c>) makes a redelivered message change nothing twice.
/// </summary>
public sealed class ImageAssessedConsumer(
    IAssessmentSource assessments,
    ImageEvaluator evaluator,
    TimeProvider time,
    ILogger<ImageAssessedConsumer> logger) : IConsumer<ImageAssessed>
{
    public async Task Consume(ConsumeContext<ImageAssessed> context)
    {
        var message = context.Message;
        var image = message.Image;
        var ct = context.CancellationToken;
        var fetched = await assessments.GetByReportAsync(message.ReportId, ct);
        if (fetched is null)
        {
            // FeedSync keeps only a bounded history: a report gone by now has been superseded by a newer ImageAssessed.
            logger.LogWarning("Report {ReportId} of {Image} is not available; nothing to evaluate", message.ReportId, image);
            return;
        }
        var (messages, result) = await evaluator.EvaluateAsync(image, message.ReportId, fetched, time.GetUtcNow(), ct);
        foreach (var m in messages) await context.Publish(m, m.GetType(), ct);
        logger.LogInformation("{Image}: {Verdicts} verdicts ({Satisfied} satisfied), {Published} new, {Suppressed} findings suppressed",
            image, result.Verdicts.Count, result.Satisfied.Count(), messages.Count, result.Suppressed.Count);
    }
}
