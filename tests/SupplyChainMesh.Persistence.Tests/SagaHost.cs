using MassTransit;
using MassTransit.Logging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyChainMesh.Persistence.Sagas;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Persistence.Tests;

/// <summary>A real host: MassTransit on the real RabbitMQ, the counter saga persisted by our repository in the real PostgreSQL.</summary>
internal static class SagaHost
{
    public static async Task<IHost> StartAsync(string connectionString, string queue)
    {
        // MassTransit's static log context outlives a disposed host; reset it so a second host in this process starts.
        LogContext.ConfigureCurrentLogContext(NullLoggerFactory.Instance);
        var rabbit = await BackingServices.RabbitMqUriAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDbContext<CounterDbContext>(o => o.UseNpgsql(connectionString));
        builder.Services.AddMassTransit(x =>
        {
            x.AddSagaStateMachine<CounterStateMachine, CounterState, CounterSagaDefinition>()
                .EfCoreRepository<CounterState, CounterDbContext>()
                .Endpoint(e => e.Name = queue);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(rabbit));
                cfg.ConfigureEndpoints(context);
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IBusControl>();
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return host;
    }

    public static async Task<string> CreateDatabaseAsync()
    {
        var cs = await BackingServices.FreshDatabaseAsync("saga");
        await using var db = new CounterDbContext(new DbContextOptionsBuilder<CounterDbContext>().UseNpgsql(cs).Options);
        await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync();
        return cs;
    }

    public static async Task<CounterState?> ReadAsync(string connectionString, Guid id)
    {
        await using var db = new CounterDbContext(new DbContextOptionsBuilder<CounterDbContext>().UseNpgsql(connectionString).Options);
        return await db.Counters.AsNoTracking().SingleOrDefaultAsync(c => c.CorrelationId == id);
    }

    /// <summary>Polls the database (the bus's own "consumed" signal fires before the repository commits).</summary>
    public static async Task<CounterState> WaitForAsync(string connectionString, Guid id, Func<CounterState, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        CounterState? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await ReadAsync(connectionString, id);
            if (last is not null && condition(last)) return last;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Saga {id} did not reach the expected state in {timeout}; last: state={last?.CurrentState} count={last?.Count} version={last?.Version}");
    }
}
