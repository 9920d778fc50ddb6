using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace SupplyChainMesh.Mesh.Tests;

/// <summary>Runs a real service host in process (its Program, Extensions, database and bus) against the real servers.</summary>
public sealed class MeshHost<TEntry>(IDictionary<string, string?> settings) : WebApplicationFactory<TEntry>
    where TEntry : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // MassTransit's static log context outlives a disposed host: reset it so hosts can follow each other.
        LogContext.ConfigureCurrentLogContext(NullLoggerFactory.Instance);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.UseEnvironment("Development");
    }
}
