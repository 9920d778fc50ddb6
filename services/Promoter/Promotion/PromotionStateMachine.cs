using MassTransit;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.Promoter.Promotion;

/// <summary>
/// One promotion per (policy, digest, target), correlated on <see cref="PolicySatisfied.PromotionId"/>: the first
/// <see cref="PolicySatisfied"/> inserts the row, moves it to Promoting and sends <see cref="PromoteImage"/>; the copy
/// and its back-off run in <see cref="PromoteImageConsumer"/> outside any database transaction, and its
/// <see cref="PromotionAttempted"/> is recorded and announced here. A redelivered or duplicated
/// <see cref="PolicySatisfied"/> finds the promotion under way or done and is ignored, so an image is never promoted
/// twice. A failed promotion is tried again when the policy is satisfied again (the registry may be back).
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
        Event(() => Attempted, e =>
        {
            e.CorrelateById(m => m.Message.PromotionId);
            e.OnMissingInstance(m => m.Discard());
        });

        Initially(Promote(When(Satisfied).Then(c => Remember(c.Saga, c.Message, settings))));
        During(Promoting,
            Ignore(Satisfied),
            When(Attempted, c => c.Message.Generation == c.Saga.Generation)
                .Activity(a => a.OfType<RecordPromotionActivity>())
                .Then(c => c.Saga.CompletedBy = c.MessageId)
                .IfElse(c => c.Saga.FailureReason is null,
                    done => done.TransitionTo(Promoted).ThenAsync(AnnounceAsync),
                    failed => failed.TransitionTo(Failed).ThenAsync(AnnounceAsync)),
            Ignore(Attempted));
        // A redelivered PromotionAttempted that ended the run (its announcement may not have left: the broker went away
        // after the commit) announces again with the same message id, so inbox consumers apply it once.
        During(Promoted,
            When(Attempted, IsRedeliveredEnd).ThenAsync(AnnounceAsync),
            Ignore(Attempted),
            Ignore(Satisfied));
        During(Failed,
            When(Attempted, IsRedeliveredEnd).ThenAsync(AnnounceAsync),
            Ignore(Attempted),
            Promote(When(Satisfied).Then(c => Remember(c.Saga, c.Message, settings))));
    }

    public State Promoting { get; private set; } = null!;
    public State Promoted { get; private set; } = null!;
    public State Failed { get; private set; } = null!;

    public Event<PolicySatisfied> Satisfied { get; private set; } = null!;
    public Event<PromotionAttempted> Attempted { get; private set; } = null!;

    /// <summary>Starts a run: commits Promoting, then (through the outbox, after the commit) sends the copy command.</summary>
    private EventActivityBinder<PromotionState, PolicySatisfied> Promote(EventActivityBinder<PromotionState, PolicySatisfied> binder) =>
        binder.Then(c => { c.Saga.Generation++; c.Saga.CompletedBy = null; c.Saga.FailureReason = null; c.Saga.Detail = null; c.Saga.SourceTagKept = null; })
            .TransitionTo(Promoting)
            .ThenAsync(async c =>
            {
                var saga = c.Saga;
                var endpoint = await c.GetSendEndpoint(new Uri($"queue:{PromoteImageConsumer.Queue}"));
                await endpoint.Send(new PromoteImage
                {
                    PromotionId = saga.CorrelationId,
                    Generation = saga.Generation,
                    SourceRegistry = saga.SourceRegistry,
                    SourceRepository = saga.SourceRepository,
                    SourceTag = saga.SourceTag,
                    Digest = saga.Digest,
                    TargetRegistry = saga.TargetRegistry,
                    TargetRepository = saga.TargetRepository,
                    TargetTag = saga.TargetTag,
                    Action = saga.Action,
                }, c.CancellationToken);
            });

    private static bool IsRedeliveredEnd(BehaviorContext<PromotionState, PromotionAttempted> context) =>
        context.MessageId is { } id && id == context.Saga.CompletedBy;

    /// <summary>Publishes how the run ended, under a message id derived from the promotion and its run.</summary>
    private static Task AnnounceAsync<T>(BehaviorContext<PromotionState, T> context)
        where T : class
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
                SourceTagKept = saga.SourceTagKept,
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
        saga.PushedBy = message.PushedBy;
        saga.UpdatedAt = DateTimeOffset.UtcNow;
    }
}
