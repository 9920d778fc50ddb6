using MassTransit;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.PolicyEngine.Reevaluation;

namespace SupplyChainMesh.PolicyEngine.Vex;

/// <summary>
/// A VEX document attached to an image as an OCI referrer changes what that image's verdicts rest on: announce it as a
/// <see cref="PolicyInputsChanged"/> for that one image, so every replica drops its cached referrers and the image is
/// re-evaluated now rather than when the cache expires. Other artifacts (signatures, SBOMs) change nothing here.
/// A redelivery announces it again, which re-evaluates without publishing anything new (verdicts are fingerprinted).
/// </summary>
public sealed class ArtifactPushedConsumer(TimeProvider time, ILogger<ArtifactPushedConsumer> logger) : IConsumer<ArtifactPushed>
{
    public async Task Consume(ConsumeContext<ArtifactPushed> context)
    {
        var m = context.Message;
        if (m.SubjectDigest is not { } subject || !ReferrerVexSource.IsVexType(m.ArtifactType)) return;
        logger.LogInformation("VEX {Artifact} attached to {Repository}@{Subject}: re-evaluating that image", m.Artifact.Digest, m.Artifact.Repository, subject);
        await context.Publish(PolicyChanges.VexAttached(m.Artifact, subject, time.GetUtcNow()), context.CancellationToken);
    }
}
