using System.Collections.Concurrent;

namespace SupplyChainMesh.Mesh.Tests.Pipeline;

/// <summary>The system clock, remembering every one-shot wait asked of it (<c>Task.Delay(delay, time)</c>) below
/// <see cref="Below"/>, and signalling the first one: a host's back-off made visible without timing anything.</summary>
public sealed class RecordingTimeProvider(TimeSpan below) : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _waits = new();
    private readonly TaskCompletionSource _firstWait = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TimeSpan Below => below;

    public IReadOnlyList<TimeSpan> Waits => [.. _waits];

    public Task FirstWait => _firstWait.Task;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period == Timeout.InfiniteTimeSpan && dueTime > TimeSpan.Zero && dueTime < below)
        {
            _waits.Enqueue(dueTime);
            _firstWait.TrySetResult();
        }
        return System.CreateTimer(callback, state, dueTime, period);
    }
}
