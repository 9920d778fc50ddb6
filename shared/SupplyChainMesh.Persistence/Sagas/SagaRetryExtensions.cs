using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace SupplyChainMesh.Persistence.Sagas;

public static class SagaRetryExtensions
{
    /// <summary>
    /// Retries a message whose saga update lost an optimistic race (or whose first insert lost to a twin), then puts
    /// an in-memory outbox behind it so events published by a failed attempt never leave. Retrying here, in front of the
    /// repository, gives every attempt a fresh scope, DbContext and transaction.
    /// </summary>
    public static void UseSagaConcurrencyRetry(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<DbUpdateException>(ex => ex.IsConcurrencyConflict());
            r.Exponential(30, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(10));
        });
        endpoint.UseInMemoryOutbox(context);
    }
}
