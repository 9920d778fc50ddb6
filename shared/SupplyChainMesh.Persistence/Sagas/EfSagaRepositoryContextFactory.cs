using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace SupplyChainMesh.Persistence.Sagas;

/// <summary>
/// Our EF Core saga repository for MassTransit state machines (MassTransit.EntityFrameworkCore is not available to us).
/// One transaction per message attempt; optimistic concurrency through the saga's version column
/// (<see cref="SagaStateMap{TSaga}"/>): a lost race throws <see cref="DbUpdateConcurrencyException"/>, the message retry
/// (<see cref="SagaRetryExtensions.UseSagaConcurrencyRetry"/>) runs the message again on fresh state, and the in-memory
/// outbox keeps the failed attempt's events from leaving. Registered scoped: it uses the scope's DbContext.
/// </summary>
public sealed class EfSagaRepositoryContextFactory<TDbContext, TSaga>(
    TDbContext dbContext,
    ISagaConsumeContextFactory<DbContext, TSaga> consumeContextFactory) :
    ISagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>
    where TDbContext : DbContext
    where TSaga : class, ISaga
{
    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "entity-framework-core");
        context.Add("dbContext", typeof(TDbContext).Name);
    }

    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class =>
        InTransactionAsync(async () =>
        {
            var repositoryContext = new EfSagaRepositoryContext<TSaga, T>(dbContext, context, consumeContextFactory);
            await next.Send(repositoryContext);
        }, context.CancellationToken);

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        InTransactionAsync(async () =>
        {
            var instances = await dbContext.Set<TSaga>().Where(query.FilterExpression).ToListAsync(context.CancellationToken);
            var repositoryContext = new EfSagaRepositoryContext<TSaga, T>(dbContext, context, consumeContextFactory);
            await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances));
        }, context.CancellationToken);

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new EfSagaReadContext<TSaga>(dbContext, cancellationToken));

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new EfSagaReadContext<TSaga>(dbContext, cancellationToken));

    private async Task InTransactionAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        // A consumer that already opened a transaction on this DbContext (e.g. an inbox) is joined, not nested.
        if (dbContext.Database.CurrentTransaction is not null)
        {
            await work();
            return;
        }

        // Each retry attempt gets a fresh DI scope and so a fresh DbContext; clearing is only a guard.
        dbContext.ChangeTracker.Clear();
        var strategy = dbContext.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            await using IDbContextTransaction transaction =
                await dbContext.Database.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
            await work();
            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }
}
