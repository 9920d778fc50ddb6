using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupplyChainMesh.Persistence.Sagas;

namespace SupplyChainMesh.Persistence.Tests;

// A small saga shaped like the scan saga: started once, then counts events (layers) until a target.
public sealed class CounterState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public int Version { get; set; }
    public string CurrentState { get; set; } = "Initial";
    public int Target { get; set; }
    public int Count { get; set; }
    public int Starts { get; set; }
}

public sealed record CounterStarted(Guid CorrelationId, int Target);
public sealed record CounterIncremented(Guid CorrelationId);
public sealed record CounterFinished(Guid CorrelationId, int Count);

public sealed class CounterStateMachine : MassTransitStateMachine<CounterState>
{
    public CounterStateMachine()
    {
        InstanceState(x => x.CurrentState);
        Event(() => Started, e => { e.CorrelateById(m => m.Message.CorrelationId); e.InsertOnInitial = true; e.SetSagaFactory(c => new CounterState { CorrelationId = c.Message.CorrelationId, CurrentState = "Initial" }); });
        Event(() => Incremented, e => e.CorrelateById(m => m.Message.CorrelationId));

        Initially(When(Started).Then(c => { c.Saga.Target = c.Message.Target; c.Saga.Starts++; }).TransitionTo(Counting));
        During(Counting,
            Ignore(Started),
            When(Incremented)
                .Then(c => c.Saga.Count++)
                .If(c => c.Saga.Count == c.Saga.Target, b => b.Publish(c => new CounterFinished(c.Saga.CorrelationId, c.Saga.Count)).TransitionTo(Finished)));
        During(Finished, Ignore(Started), Ignore(Incremented));
    }

    public State Counting { get; private set; } = null!;
    public State Finished { get; private set; } = null!;
    public Event<CounterStarted> Started { get; private set; } = null!;
    public Event<CounterIncremented> Incremented { get; private set; } = null!;
}

public sealed class CounterSagaDefinition : SagaDefinition<CounterState>
{
    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<CounterState> sagaConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseSagaConcurrencyRetry(context);
        endpointConfigurator.ConcurrentMessageLimit = 16;
    }
}

public sealed class CounterDbContext(DbContextOptions<CounterDbContext> options) : DbContext(options)
{
    public DbSet<CounterState> Counters => Set<CounterState>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema("counter");
        modelBuilder.ApplyConfiguration(new CounterStateMap());
    }
}

public sealed class CounterStateMap : SagaStateMap<CounterState>
{
    protected override void ConfigureState(EntityTypeBuilder<CounterState> entity)
    {
        entity.ToTable("counter_state");
        entity.Property(s => s.CurrentState).HasMaxLength(64).IsRequired();
    }
}
