namespace SupplyChainMesh.Analysis.Nvd;

/// <summary>
/// At most N permits in any rolling window (NVD counts requests in a rolling 30 s window). Waits with the given
/// <see cref="TimeProvider"/> so tests can run without sleeping.
/// </summary>
public sealed class SlidingWindowRateLimiter
{
    private readonly int _permits;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly Queue<DateTimeOffset> _granted = new();

    public SlidingWindowRateLimiter(int permits, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        _permits = permits;
        _window = window;
        _time = time;
    }

    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        // Reserve a slot under the lock (possibly in the future), then wait for it outside the lock:
        // the queue of granted times stays ordered, so concurrent callers queue up fairly.
        TimeSpan wait;
        lock (_granted)
        {
            var now = _time.GetUtcNow();
            while (_granted.Count > 0 && now - _granted.Peek() >= _window) _granted.Dequeue();
            if (_granted.Count < _permits)
            {
                _granted.Enqueue(now);
                return;
            }
            var slot = _granted.Dequeue() + _window;
            _granted.Enqueue(slot);
            wait = slot - now;
        }
        if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
    }
}
