using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace SupplyChainMesh.Persistence.Tests;

/// <summary>Our EF Core saga repository on a real PostgreSQL and RabbitMQ.</summary>
public sealed class EfSagaRepositoryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Concurrent_updates_of_one_instance_lose_no_update()
    {
        var cs = await SagaHost.CreateDatabaseAsync();
        var queue = "counter-" + Guid.NewGuid().ToString("N")[..8];
        using var host = await SagaHost.StartAsync(cs, queue);
        var bus = host.Services.GetRequiredService<IBus>();
        var id = NewId.NextGuid();

        await bus.Publish(new CounterStarted(id, 40));
        await SagaHost.WaitForAsync(cs, id, s => s.CurrentState == "Counting", Timeout);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => bus.Publish(new CounterIncremented(id))));

        var state = await SagaHost.WaitForAsync(cs, id, s => s.CurrentState == "Finished", Timeout);
        Assert.Equal(40, state.Count);
        // Every committed update bumped the version exactly once: the insert (version 0), the start's transition, 40 increments.
        Assert.Equal(41, state.Version);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_missing_instance_is_created_once_under_concurrent_first_events()
    {
        var cs = await SagaHost.CreateDatabaseAsync();
        var queue = "counter-" + Guid.NewGuid().ToString("N")[..8];
        using var host = await SagaHost.StartAsync(cs, queue);
        var bus = host.Services.GetRequiredService<IBus>();
        var ids = Enumerable.Range(0, 10).Select(_ => NewId.NextGuid()).ToList();

        // Each saga's first event arrives three times at once.
        await Task.WhenAll(ids.SelectMany(id => Enumerable.Range(0, 3).Select(_ => bus.Publish(new CounterStarted(id, 1)))));

        foreach (var id in ids)
        {
            var state = await SagaHost.WaitForAsync(cs, id, s => s.CurrentState == "Counting", Timeout);
            Assert.Equal(1, state.Starts);
        }
        await host.StopAsync();
    }

    [Fact]
    public async Task A_saga_survives_a_restart_of_its_host()
    {
        var cs = await SagaHost.CreateDatabaseAsync();
        var queue = "counter-" + Guid.NewGuid().ToString("N")[..8];
        var id = NewId.NextGuid();
        using (var first = await SagaHost.StartAsync(cs, queue))
        {
            var bus = first.Services.GetRequiredService<IBus>();
            await bus.Publish(new CounterStarted(id, 4));
            await SagaHost.WaitForAsync(cs, id, s => s.CurrentState == "Counting", Timeout);
            await bus.Publish(new CounterIncremented(id));
            await bus.Publish(new CounterIncremented(id));
            await SagaHost.WaitForAsync(cs, id, s => s.Count == 2, Timeout);
            await first.StopAsync();
        }

        using var second = await SagaHost.StartAsync(cs, queue);
        var bus2 = second.Services.GetRequiredService<IBus>();
        await bus2.Publish(new CounterIncremented(id));
        await bus2.Publish(new CounterIncremented(id));
        var state = await SagaHost.WaitForAsync(cs, id, s => s.CurrentState == "Finished", Timeout);
        Assert.Equal(4, state.Count);
        await second.StopAsync();
    }
}
