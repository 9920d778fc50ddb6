namespace SupplyChainMesh.Oci.Registry;

/// <summary>Token scopes as the Docker token protocol writes them: <c>repository:dev/app:pull,push</c>.</summary>
public static class RegistryScope
{
    public const string Catalog = "registry:catalog:*";

    public static string Pull(string repository) => $"repository:{repository}:pull";

    public static string PullPush(string repository) => $"repository:{repository}:pull,push";

    public static string Delete(string repository) => $"repository:{repository}:delete";
}
