using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace SupplyChainMesh.Persistence.Sagas;

public static class EfSagaRepositoryRegistration
{
    /// <summary>Persists the saga through <typeparamref name="TDbContext"/> (registered with AddDbContext) with our
    /// optimistic EF Core repository. Usage: <c>x.AddSagaStateMachine&lt;M, S&gt;().EfCoreRepository&lt;S, MyDbContext&gt;()</c>.</summary>
    public static ISagaRegistrationConfigurator<TSaga> EfCoreRepository<TSaga, TDbContext>(this ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga
        where TDbContext : DbContext
    {
        configurator.Repository(services =>
        {
            services.RegisterLoadSagaRepository<TSaga, EfSagaRepositoryContextFactory<TDbContext, TSaga>>();
            services.RegisterQuerySagaRepository<TSaga, EfSagaRepositoryContextFactory<TDbContext, TSaga>>();
            services.RegisterSagaRepository<TSaga, DbContext, SagaConsumeContextFactory<DbContext, TSaga>,
                EfSagaRepositoryContextFactory<TDbContext, TSaga>>();
        });
        return configurator;
    }
}
