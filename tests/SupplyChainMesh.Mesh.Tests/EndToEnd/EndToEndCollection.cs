namespace SupplyChainMesh.Mesh.Tests.EndToEnd;

/// <summary>One mesh for every end-to-end class: starting it (and importing the real feeds) is the expensive part.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndMesh>
{
    public const string Name = "end-to-end mesh";
}
