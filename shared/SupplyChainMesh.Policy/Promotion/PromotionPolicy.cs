using SupplyChainMesh.Policy.Criteria;

namespace SupplyChainMesh.Policy.Promotion;

/// <summary>
/// A promotion policy: when an image pushed to a repository matching <see cref="SourceRepository"/> satisfies every
/// criterion, it is promoted by <see cref="Action"/>. Policies are evaluated in <see cref="Order"/> (then id).
/// </summary>
public sealed record PromotionPolicy
{
    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    /// <summary>A repository (<c>dev/payments</c>) or namespace pattern (<c>dev/*</c>; see <see cref="Patterns.RepositoryPattern"/>).</summary>
    public string SourceRepository { get; init; } = "";

    public bool Enabled { get; init; } = true;

    public int Order { get; init; }

    /// <summary>All must hold. An empty list promotes every image of the source repository.</summary>
    public IReadOnlyList<Criterion> Criteria { get; init; } = [];

    public PromotionAction? Action { get; init; }
}
