using MassTransit;
using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>
/// One scan per (registry, repository, manifest digest): on <see cref="ImagePushed"/> resolve the manifest, send
/// <see cref="ScanLayer"/> only for layers without stored findings, collect <see cref="LayerScanned"/>, publish
/// <see cref="ImageScanned"/> when all are in. A failed layer fails the scan with its reason. A re-push of the same digest
/// under another tag reuses the finished scan; a re-push after a failure scans again. A scan that stalls re-sends its
/// missing layers a few times before it fails (<see cref="ResendStalledLayersActivity"/>). An OCI artifact ends as
/// NotAnImage without <see cref="ImageScanned"/>.
/// </summary>
public sealed class ImageScanStateMachine : MassTransitStateMachine<ImageScanState>
{
    public ImageScanStateMachine()
    {
        InstanceState(x => x.CurrentState);
        Event(() => Pushed, e =>
        {
            e.CorrelateById(m => m.Message.Image.ScanId);
            e.InsertOnInitial = true;
            e.SetSagaFactory(c => new ImageScanState
            {
                CorrelationId = c.Message.Image.ScanId,
                CurrentState = "Initial",
                CreatedAt = DateTimeOffset.UtcNow,
            });
        });
        Event(() => LayerDone, e =>
        {
            e.CorrelateById(m => m.Message.ScanId);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => TimedOut, e =>
        {
            e.CorrelateById(m => m.Message.ScanId);
            e.OnMissingInstance(m => m.Discard());
        });

        Initially(DispatchLayers(When(Pushed).Then(c => Remember(c.Saga, c.Message))));

        During(Scanning,
            When(Pushed).Then(c => Remember(c.Saga, c.Message)),
            Settle(When(LayerDone).Then(c => Record(c.Saga, c.Message)), pending: null),
            // Only when still stalled: a layer may have come back after the sweep looked.
            Settle(When(TimedOut, c => DateTimeOffset.UtcNow - c.Saga.UpdatedAt >= c.Message.Timeout)
                .Activity(a => a.OfType<ResendStalledLayersActivity>()), pending: null),
            Ignore(TimedOut));

        // A redelivered input that ended the run (its announcement may not have left: the broker went away after the
        // commit) announces again, with the same message ids, so inbox consumers apply it once.
        During(Complete,
            When(LayerDone, IsRedeliveredEnd).ThenAsync(AnnounceAsync),
            Ignore(LayerDone),
            When(TimedOut, IsRedeliveredEnd).ThenAsync(AnnounceAsync),
            Ignore(TimedOut),
            When(Pushed, IsRedeliveredEnd).ThenAsync(AnnounceAsync),
            // Same digest, new tag: the finished scan serves it; policies see the new tag.
            When(Pushed, c => !IsRedeliveredEnd(c) && !string.IsNullOrEmpty(c.Message.Image.Tag) && !c.Saga.Tags.Contains(c.Message.Image.Tag!))
                .Then(c => { Remember(c.Saga, c.Message); c.Saga.CompletedBy = c.MessageId; })
                .ThenAsync(c => PublishScannedAsync(c, c.Message.Image.Tag)),
            Ignore(Pushed));

        // An artifact stays one: a re-push of the same digest has nothing new to scan.
        During(NotAnImage,
            Ignore(LayerDone),
            Ignore(TimedOut),
            Ignore(Pushed));

        During(Failed,
            When(LayerDone, IsRedeliveredEnd).ThenAsync(AnnounceAsync),
            Ignore(LayerDone),
            When(TimedOut, IsRedeliveredEnd).ThenAsync(AnnounceAsync),
            Ignore(TimedOut),
            When(Pushed, IsRedeliveredEnd).ThenAsync(AnnounceAsync),
            DispatchLayers(When(Pushed, c => !IsRedeliveredEnd(c))
                .Then(c => { Remember(c.Saga, c.Message); c.Saga.FailureReason = null; c.Saga.LayersDone.Clear(); c.Saga.Resends = 0; })));
    }

    /// <summary>Resolve the manifest, send the layers not yet analysed, then settle; layers still out mean Scanning.</summary>
    private EventActivityBinder<ImageScanState, ImagePushed> DispatchLayers(EventActivityBinder<ImageScanState, ImagePushed> binder) =>
        binder.Then(c => { c.Saga.Generation++; c.Saga.CompletedBy = null; c.Saga.ResolveError = null; })
            .Activity(a => a.OfType<DispatchLayersActivity>())
            .IfElse(c => c.Saga.ArtifactType is not null,
                artifact => artifact.Then(c => c.Saga.CompletedAt = DateTimeOffset.UtcNow).TransitionTo(NotAnImage),
                image => Settle(image, pending: Scanning));

    /// <summary>A failure ends the scan as Failed, all layers in end it as Complete, both announcing
    /// <see cref="ImageScanned"/>; otherwise the scan moves to <paramref name="pending"/> (or stays where it is).</summary>
    private EventActivityBinder<ImageScanState, T> Settle<T>(EventActivityBinder<ImageScanState, T> binder, State? pending)
        where T : class =>
        binder.IfElse(c => c.Saga.FailureReason is not null,
            failed => Finish(failed).TransitionTo(Failed),
            ok => pending is null
                ? ok.If(c => IsComplete(c.Saga), done => Finish(done).TransitionTo(Complete))
                : ok.IfElse(c => IsComplete(c.Saga), done => Finish(done).TransitionTo(Complete), rest => rest.TransitionTo(pending)));

    /// <summary>One <see cref="ImageScanned"/> per tag the digest was pushed under while it was scanned: policies
    /// select by tag, so each tag is judged.</summary>
    private static EventActivityBinder<ImageScanState, T> Finish<T>(EventActivityBinder<ImageScanState, T> binder)
        where T : class =>
        binder.Then(c => { c.Saga.CompletedAt = DateTimeOffset.UtcNow; c.Saga.CompletedBy = c.MessageId; })
            .ThenAsync(AnnounceAsync);

    private static async Task AnnounceAsync<T>(BehaviorContext<ImageScanState, T> context)
        where T : class
    {
        foreach (var tag in context.Saga.Tags.Count == 0 ? [null] : context.Saga.Tags.ToList<string?>())
            await PublishScannedAsync(context, tag);
    }

    /// <summary>The message id is derived from the scan, its run and the tag: every re-announcement of one result
    /// carries the same id.</summary>
    private static Task PublishScannedAsync<T>(BehaviorContext<ImageScanState, T> context, string? tag)
        where T : class
    {
        var id = ScannedMessageId(context.Saga, tag);
        return context.Publish(Scanned(context.Saga, tag), p => p.MessageId = id, context.CancellationToken);
    }

    public static Guid ScannedMessageId(ImageScanState saga, string? tag) =>
        DeterministicId.For("image-scanned", $"{saga.CorrelationId}:{saga.Generation}:{tag}");

    private static bool IsRedeliveredEnd<T>(BehaviorContext<ImageScanState, T> context)
        where T : class => context.MessageId is { } id && id == context.Saga.CompletedBy;

    public State Scanning { get; private set; } = null!;
    public State Complete { get; private set; } = null!;
    public State Failed { get; private set; } = null!;
    public State NotAnImage { get; private set; } = null!;

    public Event<ImagePushed> Pushed { get; private set; } = null!;
    public Event<LayerScanned> LayerDone { get; private set; } = null!;
    public Event<ScanTimedOut> TimedOut { get; private set; } = null!;

    private static void Remember(ImageScanState saga, ImagePushed message)
    {
        saga.Registry = message.Image.Registry;
        saga.Repository = message.Image.Repository;
        saga.Digest = message.Image.Digest;
        saga.MediaType = message.MediaType;
        saga.PushedBy ??= message.Actor;
        if (!string.IsNullOrEmpty(message.Image.Tag) && !saga.Tags.Contains(message.Image.Tag)) saga.Tags.Add(message.Image.Tag);
        saga.UpdatedAt = DateTimeOffset.UtcNow;
    }

    private static void Record(ImageScanState saga, LayerScanned message)
    {
        saga.UpdatedAt = DateTimeOffset.UtcNow;
        if (!saga.Layers.Contains(message.LayerDigest) || saga.LayersDone.Contains(message.LayerDigest)) return;
        if (!message.Succeeded)
        {
            saga.FailureReason = $"Layer {message.LayerDigest} could not be analysed: {message.FailureReason}";
            return;
        }
        saga.LayersDone.Add(message.LayerDigest);
    }

    private static bool IsComplete(ImageScanState saga) => saga.Layers.Count > 0 && saga.Layers.All(saga.LayersDone.Contains);

    private static ImageScanned Scanned(ImageScanState saga, string? tag) => new()
    {
        ScanId = saga.CorrelationId,
        Image = new ImageIdentity(saga.Registry, saga.Repository, string.IsNullOrEmpty(tag) ? null : tag, saga.Digest),
        Layers = saga.Layers.ToList(),
        Platforms = saga.Platforms.ToList(),
        PushedBy = saga.PushedBy,
        AnalyzerVersion = saga.AnalyzerVersion ?? "",
        Succeeded = saga.FailureReason is null,
        FailureReason = saga.FailureReason,
    };
}
