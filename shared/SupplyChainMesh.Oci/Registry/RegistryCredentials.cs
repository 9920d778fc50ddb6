namespace SupplyChainMesh.Oci.Registry;

/// <summary>A user name and password (or token) for a registry: sent as Basic, or to the token endpoint of a Bearer challenge.</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    // Keep secrets out of logs and exception messages.
    public override string ToString() => $"RegistryCredentials {{ Username = {Username} }}";
}
