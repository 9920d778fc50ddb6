using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace SupplyChainMesh.Mesh.Tests;

/// <summary>Runs a real service host in process (its Program, Extensions, database and bus) against the real servers.</summary>
/// <param name="services">Changes to the host's services after its own (a test's bus observer, a fake).</param>
public sealed class MeshHost<TEntry>(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null) : WebApplicationFactory<TEntry>
    where TEntry : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // MassTransit's static log context outlives a disposed host: reset it so hosts can follow each other.
        LogContext.ConfigureCurrentLogContext(NullLoggerFactory.Instance);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.UseEnvironment("Development");
        if (services is not null) builder.ConfigureTestServices(services);
    }
}
