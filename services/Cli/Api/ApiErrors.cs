using System.Net;

namespace SupplyChainMesh.Cli.Api;

/// <summary>The API answered 4xx: it understood and said no (not found, unauthorized, forbidden, invalid). Exit 1.</summary>
internal sealed class ApiRefusedException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>The server could not be reached, timed out or failed (5xx). Exit 3.</summary>
internal sealed class ApiUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
