namespace SupplyChainMesh.Cli;

/// <summary>Process exit codes of <c>scm</c>; printed in <c>--help</c>.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>An unexpected internal error (a bug): the message and stack go to stderr.</summary>
    public const int InternalError = 1;

    /// <summary>Bad usage: unknown option, invalid image reference or platform.</summary>
    public const int Usage = 2;

    /// <summary>The image cannot be read: not found, access denied, registry unreachable or timing out, malformed manifest or archive.</summary>
    public const int ImageUnreadable = 3;

    /// <summary>The content is not what it claims: a digest mismatch, a corrupt or truncated layer, a layer over a limit.</summary>
    public const int IntegrityFailure = 4;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;

    public const string HelpText = """
        Exit codes:
          0    success
          1    internal error (a bug; details on stderr)
          2    bad usage: unknown option, invalid image reference or platform
          3    image unreadable: not found, denied, registry unreachable or timing out, malformed manifest/archive
          4    integrity failure: digest mismatch, corrupt or truncated layer, layer over a size/entry limit
          130  cancelled
        """;
}
