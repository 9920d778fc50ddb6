using MassTransit;

namespace SupplyChainMesh.Mesh.Tests.Pipeline;

/// <summary>
/// The broker going away at the worst moment, made deterministic: the first publish of <typeparamref name="T"/> fails
/// before it leaves (nothing sent, as when the connection is gone), the second fails after it left (sent, but the
/// publisher never learns it: a lost confirm). Both happen after the saga committed, in the in-memory outbox.
/// </summary>
public sealed class FlakyPublishObserver<T> : IPublishObserver
    where T : class
{
    private int _publishes;

    public int Failures { get; private set; }

    public Task PrePublish<TMessage>(PublishContext<TMessage> context)
        where TMessage : class
    {
        if (context.Message is T && Interlocked.Increment(ref _publishes) == 1) Fail("before sending");
        return Task.CompletedTask;
    }

    public Task PostPublish<TMessage>(PublishContext<TMessage> context)
        where TMessage : class
    {
        if (context.Message is T && Volatile.Read(ref _publishes) == 2) Fail("after sending");
        return Task.CompletedTask;
    }

    public Task PublishFault<TMessage>(PublishContext<TMessage> context, Exception exception)
        where TMessage : class => Task.CompletedTask;

    private void Fail(string when)
    {
        Failures++;
        throw new InvalidOperationException($"Test: the broker went away {when} the publish of {typeof(T).Name}.");
    }
}
