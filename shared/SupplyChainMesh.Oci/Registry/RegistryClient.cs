using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SupplyChainMesh.Oci.References;

namespace SupplyChainMesh.Oci.Registry;

/// <summary>
/// A client of one registry's OCI Distribution API. Handles the auth challenge (anonymous, Basic, Bearer tokens cached
/// per scope and refreshed on 401), retries with back-off on 429/5xx and timeouts (honouring Retry-After), per-attempt
/// timeouts, and redirects (followed by hand so the Authorization header never leaves the registry's origin).
/// Thread-safe; one instance per registry host.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly RegistryClientOptions _options;
    private readonly RegistryCredentials? _credentials;
    private readonly ConcurrentDictionary<string, CachedToken> _tokens = new(StringComparer.Ordinal);
    private volatile bool _useBasic;

    /// <param name="registry"><c>host[:port]</c> as in an <see cref="ImageReference"/>; <c>docker.io</c> is served by registry-1.docker.io.</param>
    /// <param name="options">Timeouts, retries, credentials.</param>
    /// <param name="handler">The HTTP handler (tests inject one); it must not follow redirects itself.</param>
    public RegistryClient(string registry, RegistryClientOptions? options = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (!ReferenceGrammar.IsValidRegistry(registry)) throw new ArgumentException($"'{registry}' is not a registry host.", nameof(registry));
        _options = options ?? new RegistryClientOptions();
        Registry = registry;
        var host = registry == ImageReference.DockerHub ? "registry-1.docker.io" : registry;
        var plain = _options.PlainHttp ?? IsLoopback(host);
        BaseAddress = new Uri($"{(plain ? "http" : "https")}://{host}/");
        _credentials = _options.Credentials(registry);
        _http = new HttpClient(handler ?? CreateDefaultHandler(_options.ConnectCallback), disposeHandler: handler is null) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Registry { get; }

    public Uri BaseAddress { get; }

    /// <summary>The handler used when none is given: no automatic redirects, no decompression (blobs are hashed as stored).</summary>
    public static SocketsHttpHandler CreateDefaultHandler(
        Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect = null) => new()
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            ConnectCallback = connect,
        };

    /// <summary>
    /// <c>GET /v2/</c>: checks the registry speaks the API. Returns the auth challenge it answered with (null when it
    /// lets anonymous clients in).
    /// </summary>
    public async Task<AuthChallenge?> PingAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendOnceAsync(() => new HttpRequestMessage(HttpMethod.Get, Url("v2/")), [], cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized) return ReadChallenge(response);
        await EnsureSuccessAsync(response, "GET /v2/", cancellationToken).ConfigureAwait(false);
        return null;
    }

    public void Dispose()
    {
        _http.Dispose();
    }

    internal Uri Url(string relative) => new(BaseAddress, relative);

    internal static string RepositoryPath(string repository)
    {
        if (!ReferenceGrammar.IsValidRepository(repository))
            throw new ArgumentException($"'{repository}' is not a valid repository name.", nameof(repository));
        return repository;
    }

    /// <summary>
    /// Sends a request with auth, redirects, per-attempt timeout and retries. <paramref name="replayable"/> requests
    /// (no streamed body) are retried on 429/5xx/timeouts and re-sent once after authenticating on a 401.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, IReadOnlyList<string> scopes, bool replayable,
        CancellationToken cancellationToken)
    {
        var authenticated = false;
        var retries = 0;
        while (true)
        {
            HttpResponseMessage response;
            try
            {
                response = await SendOnceAsync(create, scopes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (replayable && retries < _options.MaxRetries && ex is RegistryTimeoutException or HttpRequestException)
            {
                await Task.Delay(Backoff(retries++, null), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException ex)
            {
                throw new RegistryException($"Cannot reach registry {Registry}: {ex.Message}", null, [], ex);
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && !authenticated && ReadChallenge(response) is { } challenge)
            {
                authenticated = true;
                if (await AuthenticateAsync(challenge, scopes, cancellationToken).ConfigureAwait(false) && replayable)
                {
                    response.Dispose();
                    continue;
                }
            }

            if (replayable && retries < _options.MaxRetries && IsTransient(response.StatusCode))
            {
                var delay = Backoff(retries++, RetryAfter(response));
                response.Dispose();
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                continue;
            }
            return response;
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> create, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var request = create();
        AttachAuthorization(request, scopes);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        for (var redirects = 0; ; redirects++)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new RegistryTimeoutException(
                    $"Registry {Registry} did not answer {request.Method} {request.RequestUri?.AbsolutePath} within {_options.RequestTimeout}.", ex);
            }
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location) return response;
            if (redirects >= _options.MaxRedirects)
            {
                response.Dispose();
                throw new RegistryException($"Too many redirects from {request.RequestUri}.", response.StatusCode, []);
            }
            if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
                return response; // uploads are never redirected by registries we know; let the caller report it
            var target = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
            var next = new HttpRequestMessage(request.Method, target);
            foreach (var accept in request.Headers.Accept) next.Headers.Accept.Add(accept);
            // Credentials are for the registry only: blob storage (S3, GCS, a CDN) gets a pre-signed URL and no header.
            if (SameOrigin(request.RequestUri!, target)) next.Headers.Authorization = request.Headers.Authorization;
            response.Dispose();
            request.Dispose();
            request = next;
        }
    }

    private void AttachAuthorization(HttpRequestMessage request, IReadOnlyList<string> scopes)
    {
        if (_useBasic && _credentials is not null)
        {
            request.Headers.Authorization = BasicHeader(_credentials);
            return;
        }
        if (_tokens.TryGetValue(ScopeKey(scopes), out var token) && token.ExpiresAt > DateTimeOffset.UtcNow)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
    }

    private async Task<bool> AuthenticateAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        if (challenge.IsBasic)
        {
            if (_credentials is null || _useBasic) return false; // anonymous, or the credentials were just refused
            _useBasic = true;
            return true;
        }
        if (!challenge.IsBearer || challenge.Realm is null) return false;
        var key = ScopeKey(scopes);
        _tokens.TryRemove(key, out _);
        var wanted = new SortedSet<string>(scopes, StringComparer.Ordinal);
        if (challenge.Scope is { Length: > 0 } s)
        {
            foreach (var part in s.Split(' ', StringSplitOptions.RemoveEmptyEntries)) wanted.Add(part);
        }
        var token = await FetchTokenAsync(challenge, wanted, cancellationToken).ConfigureAwait(false);
        _tokens[key] = token;
        return true;
    }

    private async Task<CachedToken> FetchTokenAsync(AuthChallenge challenge, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        var query = new StringBuilder();
        if (challenge.Service is { } service) query.Append("service=").Append(Uri.EscapeDataString(service));
        foreach (var scope in scopes) query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(scope));
        if (_credentials is not null) query.Append(query.Length > 0 ? "&" : "").Append("account=").Append(Uri.EscapeDataString(_credentials.Username));
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("http" or "https"))
            throw new RegistryAuthenticationException($"Registry {Registry} sent an unusable token realm '{challenge.Realm}'.", HttpStatusCode.Unauthorized, []);
        var builder = new UriBuilder(realm) { Query = (realm.Query.TrimStart('?') is { Length: > 0 } q ? q + "&" : "") + query };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (_credentials is not null) request.Headers.Authorization = BasicHeader(_credentials);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryTimeoutException($"The token endpoint {realm.GetLeftPart(UriPartial.Path)} did not answer within {_options.RequestTimeout}.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new RegistryAuthenticationException($"Cannot reach the token endpoint {realm.GetLeftPart(UriPartial.Path)}: {ex.Message}", null, [], ex);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var errors = await ReadErrorsAsync(response, cancellationToken).ConfigureAwait(false);
                throw new RegistryAuthenticationException(
                    $"The token endpoint {realm.GetLeftPart(UriPartial.Path)} refused a token for '{string.Join(' ', scopes)}': {(int)response.StatusCode} {Describe(errors)}",
                    response.StatusCode, errors);
            }
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                var token = root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()
                    : root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
                if (string.IsNullOrEmpty(token)) throw new RegistryAuthenticationException("The token endpoint answered without a token.");
                // Docker's token spec: expires_in defaults to 60 s. Renew a little early.
                var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var secs) && secs > 0 ? secs : 60;
                return new CachedToken(token, DateTimeOffset.UtcNow.AddSeconds(lifetime * 0.9));
            }
            catch (JsonException ex)
            {
                throw new RegistryAuthenticationException($"The token endpoint answered with invalid JSON: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Throws the typed exception for a failed response (404 → not found, 401/403 → auth, else generic).</summary>
    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var errors = await ReadErrorsAsync(response, cancellationToken).ConfigureAwait(false);
        var message = $"{what}: {(int)response.StatusCode} {response.ReasonPhrase} {Describe(errors)}".TrimEnd();
        throw response.StatusCode switch
        {
            HttpStatusCode.NotFound => new RegistryNotFoundException(message, response.StatusCode, errors),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new RegistryAuthenticationException(message, response.StatusCode, errors),
            _ => new RegistryException(message, response.StatusCode, errors),
        };
    }

    private static async Task<IReadOnlyList<RegistryError>> ReadErrorsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            if (response.Content.Headers.ContentLength is > 1024 * 1024) return [];
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length == 0) return [];
            using var doc = JsonDocument.Parse(body);
            if (!doc.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array) return [];
            var list = new List<RegistryError>();
            foreach (var e in errors.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object) continue;
                var code = e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() ?? "" : "";
                var message = e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                var detail = e.TryGetProperty("detail", out var d) && d.ValueKind != JsonValueKind.Null ? d.GetRawText() : null;
                list.Add(new RegistryError(code, message, detail));
            }
            return list;
        }
        catch (JsonException)
        {
            return [];
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    private static string Describe(IReadOnlyList<RegistryError> errors) =>
        string.Join("; ", errors.Select(e => e.Message is null ? e.Code : $"{e.Code}: {e.Message}"));

    private static AuthChallenge? ReadChallenge(HttpResponseMessage response)
    {
        // Prefer Bearer when a registry offers several schemes.
        AuthChallenge? basic = null;
        foreach (var header in response.Headers.WwwAuthenticate)
        {
            var challenge = AuthChallenge.Parse(header.Scheme, header.Parameter);
            if (challenge.IsBearer) return challenge;
            if (challenge.IsBasic) basic = challenge;
        }
        return basic;
    }

    internal TimeSpan Backoff(int retry, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked) return asked < _options.MaxRetryDelay ? asked : _options.MaxRetryDelay;
        var exponential = _options.InitialRetryDelay.TotalMilliseconds * Math.Pow(2, retry);
#pragma warning disable CA5394 // jitter, not security
        var jittered = exponential * (0.8 + Random.Shared.NextDouble() * 0.4);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(Math.Min(jittered, _options.MaxRetryDelay.TotalMilliseconds));
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } ra) return null;
        if (ra.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (ra.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout;

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static AuthenticationHeaderValue BasicHeader(RegistryCredentials credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));

    private static string ScopeKey(IReadOnlyList<string> scopes) =>
        scopes.Count == 0 ? "" : string.Join(' ', scopes.Order(StringComparer.Ordinal));

    private static bool IsLoopback(string host)
    {
        var name = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
        return name == "localhost" || (IPAddress.TryParse(name, out var ip) && IPAddress.IsLoopback(ip));
    }

    private sealed record CachedToken(string Token, DateTimeOffset ExpiresAt);
}
