using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace SupplyChainMesh.Gateway.Tests.OpenApi;

/// <summary>A real service host (its Program, Extensions, database and bus) on a real loopback port, so the gateway
/// reaches it over HTTP as in production.</summary>
public sealed class ServiceHost<TEntry> : WebApplicationFactory<TEntry>
    where TEntry : class
{
    private readonly IDictionary<string, string?> _settings;

    public ServiceHost(int port, IDictionary<string, string?> settings)
    {
        _settings = settings;
        Port = port;
        UseKestrel(port);
    }

    public int Port { get; }

    public string Address => $"http://127.0.0.1:{Port}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // MassTransit's static log context outlives a disposed host: reset it so hosts can follow each other.
        LogContext.ConfigureCurrentLogContext(NullLoggerFactory.Instance);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.UseEnvironment("Development");
    }
}
