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

    /// <summary>A VEX referrer pushed for one image: only that image (its repository, its digest) is affected. The id is
    /// derived from the artifact's digest, so the same attachment always has the same id.</summary>
    public static PolicyInputsChanged VexAttached(ImageIdentity artifact, string subjectDigest, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        return new()
        {
            Kind = "vex",
            Id = new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(artifact.Digest)).AsSpan(0, 16)),
            Change = "attached",
            Repositories = [artifact.Repository],
            Digest = subjectDigest,
            ChangedAt = at,
        };
    }

    public static PolicyInputsChanged Vex(Guid id, string change, DateTimeOffset at) =>
        new() { Kind = "vex", Id = id, Change = change, ChangedAt = at };
}
