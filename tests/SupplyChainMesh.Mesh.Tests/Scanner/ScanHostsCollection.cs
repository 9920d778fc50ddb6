namespace SupplyChainMesh.Mesh.Tests.Scanner;

/// <summary>
/// Test classes that start LayerScanner hosts: they share the saga and scan-layer queues of one broker vhost, so they
/// must not run side by side (a host of one class would take the other's messages).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScanHostsCollection
{
    public const string Name = "LayerScanner hosts";
}
