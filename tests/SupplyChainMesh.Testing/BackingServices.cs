using DotNet.Testcontainers.Builders;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace SupplyChainMesh.Testing;

/// <summary>
/// Addresses of the real backing services. Taken from the environment that <c>infra/local/services.sh env</c> prints;
/// where none is set and a Docker engine answers, Testcontainers starts them; otherwise the test fails and says which
/// command provides them. Never a silent skip.
/// </summary>
public static class BackingServices
{
    public const string HowToStart = "Run `source <(infra/local/services.sh up)` (or `bash infra/local/test.sh`) first.";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _rabbitMq;
    private static string? _postgres;

    /// <summary>AMQP URI, from <c>SCM_RABBITMQ_URI</c>.</summary>
    public static async Task<string> RabbitMqUriAsync()
    {
        if (Environment.GetEnvironmentVariable("SCM_RABBITMQ_URI") is { Length: > 0 } uri) return uri;
        await Gate.WaitAsync();
        try
        {
            if (_rabbitMq is not null) return _rabbitMq;
            var container = new RabbitMqBuilder("rabbitmq:3.13-management").Build();
            await StartOrExplainAsync(() => container.StartAsync(), "RabbitMQ", "SCM_RABBITMQ_URI");
            return _rabbitMq = container.GetConnectionString();
        }
        finally { Gate.Release(); }
    }

    /// <summary>Npgsql connection string of a superuser, from <c>SCM_POSTGRES</c>.</summary>
    public static async Task<string> PostgresAsync()
    {
        if (Environment.GetEnvironmentVariable("SCM_POSTGRES") is { Length: > 0 } cs) return cs;
        await Gate.WaitAsync();
        try
        {
            if (_postgres is not null) return _postgres;
            var container = new PostgreSqlBuilder("postgres:15").Build();
            await StartOrExplainAsync(() => container.StartAsync(), "PostgreSQL", "SCM_POSTGRES");
            return _postgres = container.GetConnectionString();
        }
        finally { Gate.Release(); }
    }

    /// <summary>The Distribution registry's <c>host:port</c>, from <c>SCM_REGISTRY</c> (no Testcontainers fallback: the
    /// registry must be configured to notify Ingest, which only the local stack does).</summary>
    public static string Registry =>
        Environment.GetEnvironmentVariable("SCM_REGISTRY") is { Length: > 0 } r
            ? r
            : throw new InvalidOperationException("SCM_REGISTRY is not set: no registry to test against. " + HowToStart);

    /// <summary>
    /// An AMQP URI on a virtual host of its own, so service hosts of different test classes (which all declare the same
    /// queue names) never consume each other's messages. Made through the management API (<c>SCM_RABBITMQ_MANAGEMENT</c>,
    /// which <c>services.sh env</c> prints); without it the shared virtual host is returned and the caller must not run
    /// beside another host of the same service.
    /// </summary>
    public static async Task<string> FreshVirtualHostAsync(string prefix)
    {
        var baseUri = new Uri(await RabbitMqUriAsync());
        if (Environment.GetEnvironmentVariable("SCM_RABBITMQ_MANAGEMENT") is not { Length: > 0 } management) return baseUri.ToString();
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
        var user = Uri.UnescapeDataString(baseUri.UserInfo.Split(':')[0]);
        var password = Uri.UnescapeDataString(baseUri.UserInfo.Split(':').ElementAtOrDefault(1) ?? "");
        using var http = new HttpClient { BaseAddress = new Uri(management.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}")));
        (await http.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        var permissions = new StringContent("""{"configure":".*","write":".*","read":".*"}""", System.Text.Encoding.UTF8, "application/json");
        (await http.PutAsync($"api/permissions/{name}/{Uri.EscapeDataString(user)}", permissions)).EnsureSuccessStatusCode();
        return new UriBuilder(baseUri) { Path = "/" + name }.Uri.ToString();
    }

    /// <summary>A database name unique to the caller, so test classes do not see each other's rows.</summary>
    public static async Task<string> FreshDatabaseAsync(string prefix)
    {
        var admin = await PostgresAsync();
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 60)].ToLowerInvariant();
        await using var conn = new Npgsql.NpgsqlConnection(admin);
        await conn.OpenAsync();
        await using (var cmd = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn))
            await cmd.ExecuteNonQueryAsync();
        return new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    private static async Task StartOrExplainAsync(Func<Task> start, string what, string variable)
    {
        try
        {
            await start();
        }
        catch (Exception ex) when (ex is DockerUnavailableException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"{what} is needed but {variable} is not set and no Docker engine runs for Testcontainers. {HowToStart}", ex);
        }
    }
}
