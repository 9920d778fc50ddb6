using MassTransit;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.PolicyEngine.Reevaluation;

namespace SupplyChainMesh.PolicyEngine.Vex;

/// <summary>
/// A VEX document attached to an image as an OCI referrer changes what that image's verdicts rest on: announce it as a
/// <see cref="PolicyInputsChanged"/> for that one image, so every replica drops its cached referrers and the image is
/// re-evaluated now rather than when the cache expires. Other artifacts (signatures, SBOMs) change nothing here.
/// Idempotent twice over: the inbox (<see cref="ArtifactPushedConsumerDefinition"/>) drops a redelivered push, and the
/// notice's message id is derived from the artifact and its subject, so a second push event for the same referrer (a
/// webhook retried by the registry) is the same notice to the re-evaluation's inbox.
/// </summary>
public sealed class ArtifactPushedConsumer(TimeProvider time, ILogger<ArtifactPushedConsumer> logger) : IConsumer<ArtifactPushed>
{
    public async Task Consume(ConsumeContext<ArtifactPushed> context)
    {
        var m = context.Message;
        if (m.SubjectDigest is not { } subject || !ReferrerVexSource.IsVexType(m.ArtifactType)) return;
        logger.LogInformation("VEX {Artifact} attached to {Repository}@{Subject}: re-evaluating that image", m.Artifact.Digest, m.Artifact.Repository, subject);
        await context.Publish(PolicyChanges.VexAttached(m.Artifact, subject, time.GetUtcNow()),
            c => c.MessageId = DeterministicId.For("vex-attached", $"{m.Artifact.Digest}@{subject}"), context.CancellationToken);
    }
}
