using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace SupplyChainMesh.Mesh.Tests.Ingestion;

/// <summary>Listens to Ingest's <c>scm.ingest.events.ignored</c> counter while alive and sums it per <c>reason</c> tag.</summary>
public sealed class IgnoredEventsListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _byReason = new();

    public IgnoredEventsListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "SupplyChainMesh.Ingest" && instrument.Name == "scm.ingest.events.ignored") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var reason = "(none)";
            foreach (var tag in tags)
                if (tag.Key == "reason") reason = tag.Value?.ToString() ?? "(null)";
            _byReason.AddOrUpdate(reason, value, (_, sum) => sum + value);
        });
        _listener.Start();
    }

    public long Count(string reason) => _byReason.GetValueOrDefault(reason);

    public void Dispose() => _listener.Dispose();
}
