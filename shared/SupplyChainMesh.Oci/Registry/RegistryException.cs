using System.Net;

namespace SupplyChainMesh.Oci.Registry;

/// <summary>A registry answered with an error (or not at all). Carries the HTTP status and the registry's error codes.</summary>
public class RegistryException : Exception
{
    public RegistryException() { }

    public RegistryException(string message) : base(message) { }

    public RegistryException(string message, Exception innerException) : base(message, innerException) { }

    public RegistryException(string message, HttpStatusCode? statusCode, IReadOnlyList<RegistryError> errors, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Errors = errors;
    }

    public HttpStatusCode? StatusCode { get; }

    public IReadOnlyList<RegistryError> Errors { get; } = [];

    public bool HasCode(string code) => Errors.Any(e => string.Equals(e.Code, code, StringComparison.OrdinalIgnoreCase));
}

/// <summary>404: the manifest, blob, upload or repository does not exist (MANIFEST_UNKNOWN, BLOB_UNKNOWN, NAME_UNKNOWN, ...).</summary>
public sealed class RegistryNotFoundException : RegistryException
{
    public RegistryNotFoundException() { }

    public RegistryNotFoundException(string message) : base(message) { }

    public RegistryNotFoundException(string message, Exception innerException) : base(message, innerException) { }

    public RegistryNotFoundException(string message, HttpStatusCode? statusCode, IReadOnlyList<RegistryError> errors)
        : base(message, statusCode, errors) { }
}

/// <summary>401 or 403 that authentication could not fix: no or wrong credentials (UNAUTHORIZED), or not allowed (DENIED).</summary>
public sealed class RegistryAuthenticationException : RegistryException
{
    public RegistryAuthenticationException() { }

    public RegistryAuthenticationException(string message) : base(message) { }

    public RegistryAuthenticationException(string message, Exception innerException) : base(message, innerException) { }

    public RegistryAuthenticationException(string message, HttpStatusCode? statusCode, IReadOnlyList<RegistryError> errors, Exception? inner = null)
        : base(message, statusCode, errors, inner) { }
}

/// <summary>The registry did not answer in time (a hung connection, a stalled body), after the configured retries.</summary>
public sealed class RegistryTimeoutException : RegistryException
{
    public RegistryTimeoutException() { }

    public RegistryTimeoutException(string message) : base(message) { }

    public RegistryTimeoutException(string message, Exception innerException) : base(message, innerException) { }
}
