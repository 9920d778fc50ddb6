using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SupplyChainMesh.Ingest;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Ingestion;

/// <summary>POST /api/images/scan with identity checks on (<c>Identity:Forwarded:CertificatePath</c>): a caller needs a
/// forwarded identity or the registries' shared secret; with neither it gets 401 and nothing is asked of the registry.</summary>
[Collection(Pipeline.PipelineHosts.Ingest)]
public sealed class ScanApiAuthTests : IDisposable
{
    private const string Secret = "scan-api-secret";
    private readonly string _certificate = Path.Combine(Path.GetTempPath(), $"scm-gateway-{Guid.NewGuid():N}.pem");

    public ScanApiAuthTests()
    {
        // Any gateway signing certificate turns the checks on; this test forwards no identity, so its key is not needed.
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=scm-gateway-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(_certificate, certificate.ExportCertificatePem());
    }

    [Fact]
    public async Task An_anonymous_or_wrong_secret_scan_request_gets_401_and_the_shared_secret_is_let_through()
    {
        var bus = await BackingServices.FreshVirtualHostAsync("ingest");
        await using var probe = await BusProbe<Contracts.ImagePushed>.StartAsync(bus);
        await using var ingest = await Pipeline.PipelineHosts.ReadyAsync(new MeshHost<IngestOptions>(new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = bus,
            ["ConnectionStrings:Postgres"] = await BackingServices.FreshDatabaseAsync("ingest"),
            ["Ingest:WebhookSecret"] = Secret,
            ["Registry:Url"] = $"http://{BackingServices.Registry}",
            ["Identity:Forwarded:CertificatePath"] = _certificate,
        }));
        using var client = ingest.CreateClient();
        var body = new { reference = $"{BackingServices.Registry}/pipeline-none/dev/app:latest" };

        Assert.Equal(HttpStatusCode.Unauthorized, (await ScanAsync(client, body, secret: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ScanAsync(client, body, secret: "wrong")).StatusCode);
        // A forged identity header is no identity either.
        using (var forged = new HttpRequestMessage(HttpMethod.Post, "/api/images/scan") { Content = JsonContent.Create(body) })
        {
            forged.Headers.Add("X-SCM-Identity", "eyJhbGciOiJub25lIn0.eyJuYW1lIjoiYWRtaW4ifQ.");
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(forged)).StatusCode);
        }

        // With the secret the request is served: the registry is asked, and says the image does not exist.
        var served = await ScanAsync(client, body, Secret);
        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
        Assert.Contains("does not exist", await served.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await probe.CountAsync(_ => true, TimeSpan.FromSeconds(1)));
    }

    private static async Task<HttpResponseMessage> ScanAsync(HttpClient client, object body, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/images/scan") { Content = JsonContent.Create(body) };
        if (secret is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return await client.SendAsync(request);
    }

    public void Dispose() => File.Delete(_certificate);
}
