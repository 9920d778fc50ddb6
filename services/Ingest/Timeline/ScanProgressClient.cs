using System.Net.Http.Json;

namespace SupplyChainMesh.Ingest.Timeline;

/// <summary>Asks LayerScanner (<c>Services:LayerScanner</c>) how far a running scan is: layers already analysed for
/// another image send no <see cref="Contracts.LayerScanned"/>, so only the scan saga knows n of m. Best effort: a slow
/// or absent scanner leaves the status without the figure rather than failing it.</summary>
public sealed class ScanProgressClient(HttpClient http, ILogger<ScanProgressClient> logger)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    public sealed record ScanView(string Registry, string Repository, string Digest, string State, int LayersDone, int LayersTotal, string? FailureReason);

    public async Task<ScanView?> FindAsync(string registry, string repository, string digest, CancellationToken ct)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(Budget);
        try
        {
            var scans = await http.GetFromJsonAsync<List<ScanView>>(
                $"/api/scans?repository={Uri.EscapeDataString(repository)}&digest={Uri.EscapeDataString(digest)}", budget.Token);
            return scans?.FirstOrDefault(s => s.Registry == registry);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
        {
            logger.LogDebug(ex, "Scan progress of {Repository}@{Digest} not available from LayerScanner", repository, digest);
            return null;
        }
    }
}
