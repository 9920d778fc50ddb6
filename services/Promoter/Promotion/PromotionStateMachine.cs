using MassTransit;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.Promoter.Promotion;

/// <summary>
/// One promotion per (policy, digest, target), correlated on <see cref="PolicySatisfied.PromotionId"/>: the first
/// <see cref="PolicySatisfied"/> inserts the row and promotes; a redelivered or duplicated one waits on that row and then
/// finds the promotion done and is ignored, so an image is never promoted twice. A failed promotion is tried again when
/// the policy is satisfied again (the registry may be back).
/// </summary>
public sealed class PromotionStateMachine : MassTransitStateMachine<PromotionState>
{
    public PromotionStateMachine(IOptions<PromoterOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        InstanceState(x => x.CurrentState);
        Event(() => Satisfied, e =>
        {
            e.CorrelateById(m => m.Message.PromotionId);
            e.InsertOnInitial = true;
            e.SetSagaFactory(c => new PromotionState
            {
                CorrelationId = c.Message.PromotionId,
                CurrentState = "Initial",
                CreatedAt = DateTimeOffset.UtcNow,
            });
        });

        Initially(Promote(When(Satisfied).Then(c => Remember(c.Saga, c.Message, settings))));
        // A redelivered PolicySatisfied that ended the run (its announcement may not have left: the broker went away
        // after the commit) announces again with the same message id, so inbox consumers apply it once.
        During(Promoted,
            When(Satisfied, IsRedeliveredEnd).ThenAsync(AnnounceAsync),
            Ignore(Satisfied));
        During(Failed,
            When(Satisfied, IsRedeliveredEnd).ThenAsync(AnnounceAsync),
            Promote(When(Satisfied, c => !IsRedeliveredEnd(c)).Then(c => Remember(c.Saga, c.Message, settings))));
    }

    public State Promoted { get; private set; } = null!;
    public State Failed { get; private set; } = null!;

    public Event<PolicySatisfied> Satisfied { get; private set; } = null!;

    private EventActivityBinder<PromotionState, PolicySatisfied> Promote(EventActivityBinder<PromotionState, PolicySatisfied> binder) =>
        binder.Then(c => { c.Saga.Generation++; c.Saga.CompletedBy = null; })
            .Activity(a => a.OfType<PromoteImageActivity>())
            .Then(c => c.Saga.CompletedBy = c.MessageId)
            .IfElse(c => c.Saga.FailureReason is null,
                done => done.TransitionTo(Promoted).ThenAsync(AnnounceAsync),
                failed => failed.TransitionTo(Failed).ThenAsync(AnnounceAsync));

    private static bool IsRedeliveredEnd(BehaviorContext<PromotionState, PolicySatisfied> context) =>
        context.MessageId is { } id && id == context.Saga.CompletedBy;

    /// <summary>Publishes how the run ended, under a message id derived from the promotion and its run.</summary>
    private static Task AnnounceAsync(BehaviorContext<PromotionState, PolicySatisfied> context)
    {
        var saga = context.Saga;
        var image = new ImageIdentity(saga.SourceRegistry, saga.SourceRepository, saga.SourceTag, saga.Digest);
        if (saga.FailureReason is null)
        {
            var promoted = AnnouncementId("image-promoted", saga);
            return context.Publish(new ImagePromoted
            {
                Image = image,
                Target = new ImageIdentity(saga.TargetRegistry, saga.TargetRepository, saga.TargetTag, saga.Digest),
                PolicyId = saga.PolicyId,
                Action = saga.Action,
                PromotedAt = saga.CompletedAt ?? DateTimeOffset.UtcNow,
            }, p => p.MessageId = promoted, context.CancellationToken);
        }
        var failed = AnnouncementId("promotion-failed", saga);
        return context.Publish(new PromotionFailed
        {
            Image = image,
            TargetRepository = saga.TargetRepository,
            TargetTag = saga.TargetTag,
            PolicyId = saga.PolicyId,
            Reason = saga.FailureReason,
            Attempts = saga.Attempts,
        }, p => p.MessageId = failed, context.CancellationToken);
    }

    public static Guid AnnouncementId(string kind, PromotionState saga) =>
        DeterministicId.For(kind, $"{saga.CorrelationId}:{saga.Generation}");

    private static void Remember(PromotionState saga, PolicySatisfied message, PromoterOptions options)
    {
        var (registry, repository) = PromotionTarget.Resolve(message, options);
        saga.PolicyId = message.PolicyId;
        saga.PolicyName = message.PolicyName;
        saga.SourceRegistry = message.Image.Registry;
        saga.SourceRepository = message.Image.Repository;
        saga.SourceTag = message.Image.Tag;
        saga.Digest = message.Image.Digest;
        saga.TargetRegistry = registry;
        saga.TargetRepository = repository;
        saga.TargetTag = message.TargetTag;
        saga.Action = message.Action;
        saga.Fingerprint = message.Fingerprint;
        saga.UpdatedAt = DateTimeOffset.UtcNow;
    }
}
