using SupplyChainMesh.Gateway.Identity.Access;

namespace SupplyChainMesh.Gateway.Registry;

/// <summary>Cuts requested scopes down to what the caller may do: pull needs read, push read-write, delete admin;
/// <c>*</c> is granted only with admin; the catalog only to admins. A scope with nothing left is dropped.</summary>
public static class ScopeGranter
{
    public static List<RegistryScope> Grant(Caller caller, IEnumerable<RegistryScope> requested)
    {
        var granted = new List<RegistryScope>();
        foreach (var scope in requested)
        {
            if (scope.Type == RegistryScope.Registry)
            {
                if (caller.IsAdmin) granted.Add(scope);
                continue;
            }
            var level = caller.LevelOn(scope.Name);
            if (level is null) continue;
            var allowed = new List<string>(3);
            foreach (var action in scope.Actions)
            {
                var ok = action switch
                {
                    RegistryScope.Pull => level >= AccessLevel.Read,
                    RegistryScope.Push => level >= AccessLevel.ReadWrite,
                    RegistryScope.Delete or RegistryScope.All => level >= AccessLevel.Admin,
                    _ => false,
                };
                if (ok && !allowed.Contains(action)) allowed.Add(action);
            }
            if (allowed.Count > 0) granted.Add(scope with { Actions = allowed });
        }
        return granted;
    }
}
