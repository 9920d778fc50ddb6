using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplyChainMesh.Persistence.Sagas;

/// <summary>Base mapping for a saga state table: key on the correlation id, the current state as text, and the
/// <see cref="ISagaVersion.Version"/> column as the optimistic concurrency token.</summary>
public abstract class SagaStateMap<TSaga> : IEntityTypeConfiguration<TSaga>
    where TSaga : class, SagaStateMachineInstance, ISagaVersion
{
    public void Configure(EntityTypeBuilder<TSaga> builder)
    {
        builder.HasKey(s => s.CorrelationId);
        builder.Property(s => s.CorrelationId).ValueGeneratedNever();
        builder.Property(s => s.Version).IsConcurrencyToken();
        ConfigureState(builder);
    }

    /// <summary>Maps the saga's own columns (the current state among them).</summary>
    protected abstract void ConfigureState(EntityTypeBuilder<TSaga> entity);
}
