using Npgsql;
using SupplyChainMesh.ServiceDefaults;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Gateway.Tests.Messaging;

/// <summary>
/// Which failures the bus waits out for minutes: real errors of a real PostgreSQL client, one from a server that is
/// away, one from a statement the server refuses.
/// </summary>
public sealed class TransientInfrastructureFaultTests
{
    [Fact]
    public async Task A_database_that_cannot_be_reached_is_waited_out()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: the connection is refused, as during a restart
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=x;Password=x;Timeout=2");
        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
        Assert.True(TransientInfrastructureFault.Matches(error));
        Assert.True(TransientInfrastructureFault.Matches(new InvalidOperationException("wrapped", error)));
    }

    [Fact]
    public async Task A_statement_the_database_refuses_is_not_waited_out()
    {
        await using var connection = new NpgsqlConnection(await BackingServices.PostgresAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT * FROM a_table_that_does_not_exist", connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteReaderAsync());
        Assert.False(TransientInfrastructureFault.Matches(error));
        Assert.False(TransientInfrastructureFault.Matches(new InvalidOperationException("a bad message")));
    }
}
