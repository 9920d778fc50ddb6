using MassTransit;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.PolicyEngine.Admission;
using SupplyChainMesh.PolicyEngine.Vex;

namespace SupplyChainMesh.PolicyEngine.Reevaluation;

/// <summary>
/// Keeps every replica's caches current at once instead of after their TTL: each replica has its own temporary queue
/// (see <see cref="Extensions"/>) and so receives every notice. A change of policy inputs drops the admission verdict
/// cache (and, for VEX, the referrer VEX cache); a verdict published by any replica drops that repository's entries.
/// Dropping a cache twice is harmless, so redelivery needs no inbox here.
/// </summary>
public sealed class CacheInvalidationConsumer(VerdictCache verdicts, ReferrerVexSource referrerVex)
    : IConsumer<PolicyInputsChanged>, IConsumer<PolicySatisfied>, IConsumer<PolicyViolated>
{
    public Task Consume(ConsumeContext<PolicyInputsChanged> context)
    {
        verdicts.Clear();
        if (context.Message.Kind == "vex") referrerVex.Clear();
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<PolicySatisfied> context)
    {
        verdicts.Invalidate(context.Message.Image.Registry, context.Message.Image.Repository);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<PolicyViolated> context)
    {
        verdicts.Invalidate(context.Message.Image.Registry, context.Message.Image.Repository);
        return Task.CompletedTask;
    }
}
