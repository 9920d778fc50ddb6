using SupplyChainMesh.Policy.Patterns;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Exceptions;

/// <summary>Checks an exception before it is stored; problems keyed by camelCase field, as <see cref="Promotion.PolicyValidator"/> does.</summary>
public static class ExceptionValidator
{
    public static ValidationErrors Validate(VulnerabilityException exception, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(exception.VulnerabilityId))
            errors.Add("vulnerabilityId", "The vulnerability id is required (e.g. CVE-2024-3094).");
        if (string.IsNullOrWhiteSpace(exception.Reason))
            errors.Add("reason", "Say why the vulnerability is accepted.");
        if (string.IsNullOrWhiteSpace(exception.CreatedBy))
            errors.Add("createdBy", "Say who accepts the vulnerability.");
        if (exception.PackagePurl is { } purl && !purl.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase))
            errors.Add("packagePurl", $"'{purl}' is not a package URL (pkg:type/namespace/name[@version]).");
        if (exception.ExpiresAt is { } expiry && expiry <= now)
            errors.Add("expiresAt", $"The expiry {expiry:O} is already past.");
        switch (exception.Scope)
        {
            case ExceptionScope.Global when exception.Target is not null:
                errors.Add("target", "A global exception has no target.");
                break;
            case ExceptionScope.Repository when RepositoryPattern.Problem(exception.Target) is { } problem:
                errors.Add("target", problem);
                break;
            case ExceptionScope.Image when !IsDigest(exception.Target):
                errors.Add("target", $"'{exception.Target}' is not a manifest digest (sha256: followed by 64 hex digits).");
                break;
            case not (ExceptionScope.Global or ExceptionScope.Repository or ExceptionScope.Image):
                errors.Add("scope", "The scope is 'global', 'repository' or 'image'.");
                break;
        }
        return errors;
    }

    internal static bool IsDigest(string? text) =>
        text is not null && text.StartsWith("sha256:", StringComparison.Ordinal) && text.Length == 71 &&
        text.AsSpan(7).IndexOfAnyExcept(LowerHex) < 0;

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
}
