using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.Mesh.Tests.PolicyEngine;

/// <summary>A PolicyEngine host with the sample policy in place and probes for both verdict events: what the
/// evaluation, re-evaluation and referrer-VEX tests each start before every test.</summary>
internal sealed class PolicyVerdictTestBed : IAsyncDisposable
{
    private PolicyVerdictTestBed(PolicyEngineHost host, BusProbe<PolicySatisfied> satisfied, BusProbe<PolicyViolated> violated) =>
        (Host, Satisfied, Violated) = (host, satisfied, violated);

    public PolicyEngineHost Host { get; }

    public BusProbe<PolicySatisfied> Satisfied { get; }

    public BusProbe<PolicyViolated> Violated { get; }

    public static async Task<PolicyVerdictTestBed> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = await PolicyEngineHost.StartAsync(settings ?? new Dictionary<string, string?>());
        var bed = new PolicyVerdictTestBed(host, await BusProbe<PolicySatisfied>.StartAsync(), await BusProbe<PolicyViolated>.StartAsync());
        await host.CreatedAsync("/api/policies", PolicyTestData.SamplePolicy);
        return bed;
    }

    public async ValueTask DisposeAsync()
    {
        await Satisfied.DisposeAsync();
        await Violated.DisposeAsync();
        await Host.DisposeAsync();
    }
}
