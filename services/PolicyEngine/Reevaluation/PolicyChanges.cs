using SupplyChainMesh.Contracts;
using SupplyChainMesh.Policy.Exceptions;
using SupplyChainMesh.PolicyEngine.Model;

namespace SupplyChainMesh.PolicyEngine.Reevaluation;

/// <summary>The <see cref="PolicyInputsChanged"/> notices the APIs and the expiry watcher publish, with the repositories
/// or digest each change can affect.</summary>
public static class PolicyChanges
{
    public static PolicyInputsChanged Policy(Guid id, string change, DateTimeOffset at, params string?[] sources) => new()
    {
        Kind = "policy",
        Id = id,
        Change = change,
        // A policy moved to another source can change verdicts in both: the old source loses its verdicts.
        Repositories = [.. sources.OfType<string>().Distinct(StringComparer.Ordinal)],
        ChangedAt = at,
    };

    public static PolicyInputsChanged Exception(StoredException exception, string change, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new PolicyInputsChanged
        {
            Kind = "exception",
            Id = exception.Id,
            Change = change,
            Repositories = exception.Scope == ExceptionScope.Repository && exception.Target is { } pattern ? [pattern] : [],
            Digest = exception.Scope == ExceptionScope.Image ? exception.Target : null,
            ChangedAt = at,
        };
    }

    public static PolicyInputsChanged Vex(Guid id, string change, DateTimeOffset at) =>
        new() { Kind = "vex", Id = id, Change = change, ChangedAt = at };
}
