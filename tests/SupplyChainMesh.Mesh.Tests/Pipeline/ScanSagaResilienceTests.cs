using MassTransit;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.LayerScanner.Scanning;
using SupplyChainMesh.Testing;
using static SupplyChainMesh.Mesh.Tests.Scanner.ScanHosts;

namespace SupplyChainMesh.Mesh.Tests.Pipeline;

/// <summary>The scan saga when its neighbours fail at the wrong moment, on the real broker, database and registry with
/// the real bookworm-minbase image: the registry down while the manifest is resolved (reached through a TCP proxy that
/// is cut), the broker gone right after the saga committed its result (a publish observer that throws).</summary>
[Collection(PipelineHosts.LayerScanner)]
public sealed class ScanSagaResilienceTests
{
    private static Dictionary<string, string?> QuickSweep(TcpProxy proxy, int resends) => new()
    {
        ["Scanner:LayerTimeoutSeconds"] = "2",
        ["Scanner:TimeoutSweepSeconds"] = "0.5",
        ["Scanner:LayerResends"] = resends.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Registry:Url"] = $"http://127.0.0.1:{proxy.Port}",
    };

    private static async Task<(ImageIdentity Image, TcpProxy Proxy)> PushBehindProxyAsync(string prefix)
    {
        var pushed = await PushAsync("bookworm-minbase", prefix);
        var registry = BackingServices.Registry.Split(':');
        var proxy = new TcpProxy(registry[0], int.Parse(registry[1], System.Globalization.CultureInfo.InvariantCulture));
        return (pushed with { Registry = $"127.0.0.1:{proxy.Port}" }, proxy);
    }

    [Fact]
    public async Task A_push_while_the_registry_is_down_waits_and_is_scanned_when_it_returns()
    {
        var (image, proxy) = await PushBehindProxyAsync("regdown");
        await using var _ = proxy;
        var (bus, database) = await IsolatedAsync("regdown");
        await using var probe = await BusProbe<ImageScanned>.StartAsync(bus);
        await using var host = await StartAsync(bus, database, extra: QuickSweep(proxy, resends: 30));

        proxy.Cut();
        await probe.Bus.Publish(Pushed(image));
        // The push is kept: the scan waits with the registry's error instead of going to the error queue.
        var deadline = DateTime.UtcNow + Wait;
        ImageScanState? state = null;
        while (DateTime.UtcNow < deadline)
        {
            try { state = await StateAsync(host, image.ScanId); } catch (InvalidOperationException) { }
            if (state is { ResolveError: not null }) break;
            await Task.Delay(200);
        }
        Assert.NotNull(state?.ResolveError);
        Assert.Equal("Scanning", state!.CurrentState);
        Assert.Empty(state.Layers);

        proxy.Restore();
        var scanned = await probe.NextAsync(m => m.Image.Digest == image.Digest, Wait);
        Assert.True(scanned.Succeeded, scanned.FailureReason);
        Assert.Single(scanned.Layers);
        var done = await StateAsync(host, image.ScanId);
        Assert.Equal(("Complete", (string?)null), (done.CurrentState, done.ResolveError));
        Assert.True(done.Resends >= 1);
    }

    [Fact]
    public async Task A_registry_that_stays_down_fails_the_scan_with_its_error_after_the_re_tries()
    {
        var (image, proxy) = await PushBehindProxyAsync("regdead");
        await using var _ = proxy;
        var (bus, database) = await IsolatedAsync("regdead");
        await using var probe = await BusProbe<ImageScanned>.StartAsync(bus);
        await using var host = await StartAsync(bus, database, extra: QuickSweep(proxy, resends: 1));

        proxy.Cut();
        await probe.Bus.Publish(Pushed(image));
        var scanned = await probe.NextAsync(m => m.Image.Digest == image.Digest, Wait);

        Assert.False(scanned.Succeeded);
        Assert.StartsWith("The manifest could not be read (tried 2 times", scanned.FailureReason, StringComparison.Ordinal);
        var state = await StateAsync(host, image.ScanId);
        Assert.Equal(("Failed", 1), (state.CurrentState, state.Resends));
    }

    [Fact]
    public async Task An_ImageScanned_lost_after_the_commit_is_announced_again_under_the_same_message_id()
    {
        var image = await PushAsync("bookworm-minbase", "announce");
        var (bus, database) = await IsolatedAsync("announce");
        await using var probe = await BusProbe<ImageScanned>.StartAsync(bus);
        var flaky = new FlakyPublishObserver<ImageScanned>();
        await using var host = await StartAsync(bus, database, services: s => s.AddPublishObserver(_ => flaky));

        await probe.Bus.Publish(Pushed(image));
        var scanned = await probe.NextAsync(m => m.Image.Digest == image.Digest, Wait);
        Assert.True(scanned.Succeeded, scanned.FailureReason);
        await probe.CountAsync(_ => false, TimeSpan.FromSeconds(5));

        // The first publish never left, the second left but looked failed: the redelivered LayerScanned found the
        // scan Complete and announced it again. Downstream sees one message id, so an inbox applies it once.
        Assert.Equal(2, flaky.Failures);
        var received = probe.Received.Where(r => r.Message.Image.Digest == image.Digest).ToList();
        Assert.Equal(2, received.Count);
        var state = await StateAsync(host, image.ScanId);
        Assert.Equal(ImageScanStateMachine.ScannedMessageId(state, "latest"), Assert.Single(received.Select(r => r.MessageId).Distinct()));
        Assert.Equal("Complete", state.CurrentState);
    }
}
