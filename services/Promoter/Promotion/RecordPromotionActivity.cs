using MassTransit;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Promoter.Infrastructure;
using SupplyChainMesh.Promoter.Model;

namespace SupplyChainMesh.Promoter.Promotion;

/// <summary>Records what <see cref="PromoteImageConsumer"/> did in the saga's own transaction, so the record, the state
/// and the outgoing event commit together.</summary>
public sealed class RecordPromotionActivity(
    PromoterDbContext db,
    IOptions<PromoterOptions> options,
    IOptions<RegistrySettings> registrySettings,
    ILogger<RecordPromotionActivity> logger) : IStateMachineActivity<PromotionState, PromotionAttempted>
{
    public async Task Execute(BehaviorContext<PromotionState, PromotionAttempted> context, IBehavior<PromotionState, PromotionAttempted> next)
    {
        var saga = context.Saga;
        var attempt = context.Message;
        saga.FailureReason = attempt.FailureReason;
        saga.Detail = attempt.Detail;
        saga.Attempts = attempt.Attempts;
        saga.SourceTagKept = attempt.SourceTagKept;
        saga.UpdatedAt = attempt.FinishedAt;
        saga.CompletedAt = attempt.FinishedAt;
        db.Promotions.Add(new PromotionRecord
        {
            Id = Guid.CreateVersion7(),
            PromotionId = saga.CorrelationId,
            PolicyId = saga.PolicyId,
            PolicyName = saga.PolicyName,
            SourceRegistry = saga.SourceRegistry,
            SourceRepository = saga.SourceRepository,
            SourceTag = saga.SourceTag,
            Digest = saga.Digest,
            TargetRegistry = saga.TargetRegistry,
            TargetRepository = saga.TargetRepository,
            TargetTag = saga.TargetTag,
            Action = saga.Action,
            Outcome = saga.FailureReason is null ? PromotionRecord.Promoted : PromotionRecord.Failed,
            // A move that kept its source tag is not a plain success: the record says so.
            Reason = saga.FailureReason ?? (saga.SourceTagKept is { } kept ? $"The move kept the source tag: {kept}" : null),
            Detail = saga.Detail,
            Attempts = saga.Attempts,
            Actor = string.IsNullOrEmpty(registrySettings.Value.Username) ? options.Value.Actor : registrySettings.Value.Username,
            PushedBy = saga.PushedBy,
            At = attempt.FinishedAt,
        });
        if (saga.FailureReason is null)
            logger.LogInformation("Promoted {Source} to {Target} ({Action}, policy {Policy}): {Detail}",
                $"{saga.SourceRegistry}/{saga.SourceRepository}@{saga.Digest}", $"{saga.TargetRegistry}/{saga.TargetRepository}:{saga.TargetTag}", saga.Action, saga.PolicyName, saga.Detail);
        else
            logger.LogWarning("Promotion of {Source} to {Target} failed: {Reason}",
                $"{saga.SourceRegistry}/{saga.SourceRepository}@{saga.Digest}", $"{saga.TargetRegistry}/{saga.TargetRepository}:{saga.TargetTag}", saga.FailureReason);
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<PromotionState, PromotionAttempted, TException> context, IBehavior<PromotionState, PromotionAttempted> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("record-promotion");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
