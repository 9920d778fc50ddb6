using System.Threading.Channels;
using MassTransit;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests;

/// <summary>A separate bus on the real broker with its own temporary queue, collecting every <typeparamref name="T"/> published.</summary>
public sealed class BusProbe<T> : IAsyncDisposable where T : class
{
    private readonly IBusControl _bus;
    private readonly Channel<T> _seen = Channel.CreateUnbounded<T>();
    private readonly System.Collections.Concurrent.ConcurrentQueue<(T Message, Guid? MessageId)> _received = new();

    private BusProbe(string uri)
    {
        _bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(uri));
            cfg.ReceiveEndpoint($"probe-{typeof(T).Name}-{Guid.NewGuid():N}", e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<T>(ctx =>
                {
                    _received.Enqueue((ctx.Message, ctx.MessageId));
                    return _seen.Writer.WriteAsync(ctx.Message).AsTask();
                });
            });
        });
    }

    /// <param name="rabbitMqUri">A virtual host of the test's own; the shared one when null.</param>
    public static async Task<BusProbe<T>> StartAsync(string? rabbitMqUri = null)
    {
        var probe = new BusProbe<T>(rabbitMqUri ?? await BackingServices.RabbitMqUriAsync());
        await probe._bus.StartAsync();
        return probe;
    }

    public IBus Bus => _bus;

    /// <summary>Every message received so far with its message id (what an inbox consumer dedupes on).</summary>
    public IReadOnlyList<(T Message, Guid? MessageId)> Received => [.. _received];

    /// <summary>Waits for the next message that satisfies <paramref name="match"/>.</summary>
    public async Task<T> NextAsync(Func<T, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var message = await _seen.Reader.ReadAsync(cts.Token);
                if (match(message)) return message;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {typeof(T).Name} matching the test arrived within {timeout}.");
        }
    }

    /// <summary>Everything that arrived so far and satisfies <paramref name="match"/> (after a settling wait).</summary>
    public async Task<int> CountAsync(Func<T, bool> match, TimeSpan settle)
    {
        await Task.Delay(settle);
        var n = 0;
        while (_seen.Reader.TryRead(out var m)) if (match(m)) n++;
        return n;
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
