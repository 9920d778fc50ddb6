namespace SupplyChainMesh.Oci.Registry;

/// <summary>How a <see cref="RegistryClient"/> talks to its registry.</summary>
public sealed class RegistryClientOptions
{
    /// <summary>Credentials for the registry host (<c>host[:port]</c>); null for anonymous access.</summary>
    public Func<string, RegistryCredentials?> Credentials { get; set; } = _ => null;

    /// <summary>
    /// Use plain HTTP. Null (the default) means: plain HTTP for loopback hosts (<c>localhost</c>, <c>127.x</c>, <c>[::1]</c>),
    /// HTTPS otherwise, as Docker treats loopback registries as insecure by default.
    /// </summary>
    public bool? PlainHttp { get; set; }

    /// <summary>
    /// Opens connections for the default handler (null: the platform's). Services pass their outbound allow-list's
    /// check here, so a registry name that resolves to loopback or the metadata address is refused when connecting.
    /// </summary>
    public Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? ConnectCallback { get; set; }

    /// <summary>How long one attempt may wait for the response headers.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a body read (blob download) may stall before the stream fails with a timeout.</summary>
    public TimeSpan ReadIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after the first attempt for 429, 5xx, timeouts and connection failures (replayable requests only).</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First back-off delay; doubled per retry with jitter, capped by <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of one back-off delay, including a Retry-After the registry asks for.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Blobs of known size up to this are uploaded in one PUT; larger or unknown-size streams in PATCH chunks.</summary>
    public long MonolithicUploadLimit { get; set; } = 64L * 1024 * 1024;

    /// <summary>Size of one PATCH chunk.</summary>
    public int ChunkSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>Manifests above this are refused (the Distribution spec lets registries cap them at 4 MiB).</summary>
    public int MaxManifestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Redirects followed per request (blob downloads are commonly redirected to object storage).</summary>
    public int MaxRedirects { get; set; } = 5;
}
