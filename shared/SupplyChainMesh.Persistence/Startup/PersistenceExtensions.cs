using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SupplyChainMesh.Persistence.Inbox;

namespace SupplyChainMesh.Persistence.Startup;

public static class PersistenceExtensions
{
    /// <summary>
    /// Registers the service's DbContext on PostgreSQL (<c>ConnectionStrings:Postgres</c>), its migrations at start-up,
    /// and the inbox on it. Each service keeps its tables in its own schema (<paramref name="schema"/>), also for
    /// EF's migrations history.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TDbContext>(this IHostApplicationBuilder builder, string schema)
        where TDbContext : DbContext, IInboxDbContext
    {
        var connectionString = builder.Configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not configured (env ConnectionStrings__Postgres).");
        builder.Services.AddDbContext<TDbContext>(o => o.UseNpgsql(connectionString,
            npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", schema)));
        builder.Services.AddScoped<IInboxDbContext>(sp => sp.GetRequiredService<TDbContext>());
        builder.Services.AddHostedService<DatabaseMigrator<TDbContext>>();
        builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: "postgres", timeout: TimeSpan.FromSeconds(3));
        return builder;
    }
}
