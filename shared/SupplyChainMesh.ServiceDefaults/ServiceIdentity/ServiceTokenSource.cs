using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SupplyChainMesh.ServiceDefaults.ServiceIdentity;

/// <summary>
/// The service's own forwarded identity: fetched from the gateway with the robot's credentials, kept until shortly
/// before it expires (one fetch at a time: concurrent calls wait for it), fetched again after that. A refusal by the
/// gateway (revoked token, disabled robot) surfaces as an <see cref="HttpRequestException"/> on the call that needed
/// the identity, so a revoked robot stops being able to call anyone once its last identity expires.
/// </summary>
public sealed partial class ServiceTokenSource(
    IHttpClientFactory clients, IOptions<ServiceIdentityOptions> options, TimeProvider clock, ILogger<ServiceTokenSource> logger) : IDisposable
{
    public const string HttpClientName = "scm-service-identity";
    public const string Path = "auth/service-token";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Issued? _current;
    private int _fetches;

    private sealed record Issued(string Token, DateTimeOffset RenewAt);

    /// <summary>The gateway's answer (<c>expires_in</c> in seconds, as OAuth2 has it).</summary>
    public sealed record ServiceTokenResponse(
        [property: JsonPropertyName("token")] string Token,
        [property: JsonPropertyName("expires_in")] double ExpiresIn);

    public bool Enabled => options.Value.Enabled;

    /// <summary>Fetches counted since start (for tests and the log).</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    public async ValueTask<string> GetAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _current) is { } cached && cached.RenewAt > clock.GetUtcNow()) return cached.Token;
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } again && again.RenewAt > clock.GetUtcNow()) return again.Token;
            var issued = await FetchAsync(ct);
            Volatile.Write(ref _current, issued);
            return issued.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A callee refused <paramref name="token"/> (401): the next call fetches a new identity.</summary>
    public void Forget(string token)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Token == token) Interlocked.CompareExchange(ref _current, null, current);
    }

    private async Task<Issued> FetchAsync(CancellationToken ct)
    {
        var o = options.Value;
        var http = clients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(o.Gateway.TrimEnd('/') + "/"), Path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.Robot}:{o.Token}")));
        var now = clock.GetUtcNow();
        Interlocked.Increment(ref _fetches);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            LogRefused(logger, o.Robot, (int)response.StatusCode);
            throw new HttpRequestException(
                $"The gateway refused robot '{o.Robot}' a service identity ({(int)response.StatusCode}): its token is unknown, revoked or not a robot's.",
                null, response.StatusCode);
        }
        var body = await response.Content.ReadFromJsonAsync<ServiceTokenResponse>(ct);
        if (body is not { Token.Length: > 0, ExpiresIn: > 0 })
            throw new HttpRequestException("The gateway's service identity answer has no token.", null, HttpStatusCode.BadGateway);
        var lifetime = TimeSpan.FromSeconds(body.ExpiresIn);
        var margin = lifetime / 5 < o.RenewBefore ? lifetime / 5 : o.RenewBefore;
        LogIssued(logger, o.Robot, lifetime.TotalSeconds);
        return new Issued(body.Token, now + lifetime - margin);
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Service identity of robot {Robot} fetched, valid {Seconds} s")]
    private static partial void LogIssued(ILogger logger, string robot, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The gateway refused robot {Robot} a service identity with {Status}")]
    private static partial void LogRefused(ILogger logger, string robot, int status);
}
