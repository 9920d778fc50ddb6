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
        During(Promoted, Ignore(Satisfied));
        During(Failed, Promote(When(Satisfied).Then(c => Remember(c.Saga, c.Message, settings))));
    }

    public State Promoted { get; private set; } = null!;
    public State Failed { get; private set; } = null!;

    public Event<PolicySatisfied> Satisfied { get; private set; } = null!;

    private EventActivityBinder<PromotionState, PolicySatisfied> Promote(EventActivityBinder<PromotionState, PolicySatisfied> binder) =>
        binder.Activity(a => a.OfType<PromoteImageActivity>())
            .IfElse(c => c.Saga.FailureReason is null,
                done => done.TransitionTo(Promoted).PublishAsync(c => c.Init<ImagePromoted>(new ImagePromoted
                {
                    Image = c.Message.Image,
                    Target = new ImageIdentity(c.Saga.TargetRegistry, c.Saga.TargetRepository, c.Saga.TargetTag, c.Saga.Digest),
                    PolicyId = c.Saga.PolicyId,
                    Action = c.Saga.Action,
                    PromotedAt = c.Saga.CompletedAt ?? DateTimeOffset.UtcNow,
                })),
                failed => failed.TransitionTo(Failed).PublishAsync(c => c.Init<PromotionFailed>(new PromotionFailed
                {
                    Image = c.Message.Image,
                    TargetRepository = c.Saga.TargetRepository,
                    TargetTag = c.Saga.TargetTag,
                    PolicyId = c.Saga.PolicyId,
                    Reason = c.Saga.FailureReason!,
                    Attempts = c.Saga.Attempts,
                })));

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
