namespace SupplyChainMesh.Policy.Promotion;

/// <summary>What a satisfied policy does: put the image into <see cref="TargetRepository"/> under a tag from <see cref="TagTemplate"/>.</summary>
public sealed record PromotionAction
{
    /// <summary>The repository to promote into, e.g. <c>prod/payments</c>, or <c>qa/{name}</c> to keep the source's
    /// last path segment (see <see cref="Templates.RepositoryTemplate"/>).</summary>
    public string TargetRepository { get; init; } = "";

    /// <summary>The tag template (<c>%n</c> keeps the source tag; see <see cref="Templates.TagTemplate"/>).</summary>
    public string TagTemplate { get; init; } = "%n";

    public PromotionMode Mode { get; init; } = PromotionMode.Copy;
}
