namespace SupplyChainMesh.Policy.Admission;

public enum ContainerKind
{
    Container,
    InitContainer,
    EphemeralContainer,
}
