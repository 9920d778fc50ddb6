using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Feeds;

/// <summary>
/// A local HTTP server (Kestrel, port 9141 of the feeds helper's range) that answers like the NVD CVE API 2.0 from the
/// REAL records of <c>../shared/feeds/nvd/nvd-cve-api2-subset.json</c>: <c>startIndex</c>/<c>resultsPerPage</c> paging,
/// <c>lastModStartDate</c>/<c>lastModEndDate</c> filtering on each record's <c>lastModified</c>, and a 403 (NVD's answer
/// when its rate limit is exceeded) for the next <see cref="ForbidNext"/> requests. Every request is recorded.
/// </summary>
public sealed class FakeNvdApi : IAsyncDisposable
{
    public const string Path = "/rest/json/cves/2.0";
    private readonly WebApplication _app;
    private readonly List<JsonObject> _records;
    private readonly List<(string Query, string? ApiKey, int Status)> _requests = [];

    private FakeNvdApi(WebApplication app, List<JsonObject> records, Uri baseUri)
    {
        _app = app;
        _records = records;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    /// <summary>How many of the next requests are refused with 403.</summary>
    public int ForbidNext { get; set; }

    public IReadOnlyList<(string Query, string? ApiKey, int Status)> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    /// <summary>The served <c>cve</c> objects (change one to publish a modification).</summary>
    public IReadOnlyList<JsonObject> Records => _records;

    public static async Task<FakeNvdApi> StartAsync()
    {
        var document = JsonNode.Parse(await File.ReadAllTextAsync(System.IO.Path.Combine(RepositoryLayout.Feeds, "nvd", "nvd-cve-api2-subset.json")))!;
        var records = document["vulnerabilities"]!.AsArray().Select(v => v!["cve"]!.AsObject()).ToList();
        var builder = WebApplication.CreateSlimBuilder();
        const string Address = "http://127.0.0.1:9141";
        builder.WebHost.UseUrls(Address);
        var app = builder.Build();
        var api = new FakeNvdApi(app, records, new Uri(Address + Path));
        app.MapGet(Path, api.Serve);
        await app.StartAsync();
        return api;
    }

    private IResult Serve(HttpContext context)
    {
        var query = context.Request.Query;
        string? apiKey = context.Request.Headers.TryGetValue("apiKey", out var key) ? key.ToString() : null;
        lock (_requests)
        {
            if (ForbidNext > 0)
            {
                ForbidNext--;
                _requests.Add((context.Request.QueryString.Value ?? "", apiKey, 403));
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            _requests.Add((context.Request.QueryString.Value ?? "", apiKey, 200));
        }
        var start = int.Parse(query["startIndex"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
        var size = int.Parse(query["resultsPerPage"].FirstOrDefault() ?? "2000", CultureInfo.InvariantCulture);
        DateTimeOffset? from = query["lastModStartDate"].FirstOrDefault() is { } f ? DateTimeOffset.Parse(f, CultureInfo.InvariantCulture) : null;
        DateTimeOffset? to = query["lastModEndDate"].FirstOrDefault() is { } t ? DateTimeOffset.Parse(t, CultureInfo.InvariantCulture) : null;
        List<JsonObject> matching;
        lock (_records)
        {
            matching = _records.Where(r =>
            {
                var modified = DateTimeOffset.Parse(r["lastModified"]!.GetValue<string>() + "Z", CultureInfo.InvariantCulture);
                return (from is null || modified >= from) && (to is null || modified <= to);
            }).ToList();
        }
        var page = matching.Skip(start).Take(size).Select(r => (JsonNode)new JsonObject { ["cve"] = r.DeepClone() }).ToArray();
        var body = new JsonObject
        {
            ["resultsPerPage"] = page.Length,
            ["startIndex"] = start,
            ["totalResults"] = matching.Count,
            ["format"] = "NVD_CVE",
            ["version"] = "2.0",
            ["timestamp"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture),
            ["vulnerabilities"] = new JsonArray(page),
        };
        return Results.Text(body.ToJsonString(), "application/json");
    }

    /// <summary>Publishes a modification of a served record: a new <c>lastModified</c> and an amended English description.</summary>
    public void Modify(string id, DateTimeOffset at, string note)
    {
        lock (_records)
        {
            var record = _records.Single(r => r["id"]!.GetValue<string>() == id);
            record["lastModified"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);
            var english = record["descriptions"]!.AsArray().Single(d => d!["lang"]!.GetValue<string>() == "en")!;
            english["value"] = english["value"]!.GetValue<string>() + " " + note;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
