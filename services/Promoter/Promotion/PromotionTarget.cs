using SupplyChainMesh.Contracts;
using SupplyChainMesh.Oci.References;

namespace SupplyChainMesh.Promoter.Promotion;

/// <summary>Where a promotion goes: the policy's target repository may name its registry (<c>host:port/qa/app</c>, the
/// Docker rule: a first component with a dot or colon, or <c>localhost</c>); else <c>Promoter:Registries</c> maps the
/// source registry; else the image stays in its own registry.</summary>
public static class PromotionTarget
{
    public static (string Registry, string Repository) Resolve(PolicySatisfied message, PromoterOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        var target = message.TargetRepository;
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = target[..slash];
            if ((first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
                && ReferenceGrammar.IsValidRegistry(first))
                return (first, target[(slash + 1)..]);
        }
        return (options.TargetRegistryFor(message.Image.Registry), target);
    }
}
