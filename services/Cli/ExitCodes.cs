namespace SupplyChainMesh.Cli;

/// <summary>Process exit codes of <c>scm</c>; printed in <c>--help</c> and services/Cli/README.md.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>An unexpected internal error (a bug; details on stderr), in every command.</summary>
    public const int InternalError = 1;

    /// <summary>API commands: the API answered 4xx (not found, denied, invalid). A number of its own, so a script can tell
    /// "the server said no" from a bug (1) or an unreachable server (3).</summary>
    public const int ApiRefused = 6;

    /// <summary>Bad usage: unknown option, invalid image reference or platform, missing feed folder.</summary>
    public const int Usage = 2;

    /// <summary>The image cannot be read: not found, access denied, registry unreachable or timing out, malformed manifest or archive.</summary>
    public const int ImageUnreadable = 3;

    /// <summary>API commands: the server could not be reached, timed out or answered 5xx.</summary>
    public const int ServerUnreachable = 3;

    /// <summary>The content is not what it claims: a digest mismatch, a corrupt or truncated layer, a layer over a limit.</summary>
    public const int IntegrityFailure = 4;

    /// <summary>The feed folder given with <c>--feeds</c> could not be read.</summary>
    public const int FeedsUnreadable = 5;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;

    public const string ScanHelpText = """
        Exit codes:
          0    success (and, with --exit-code N, no reported finding)
          N    the value of --exit-code N when any finding remains after --severity and --ignore-unfixed
          1    internal error (a bug; details on stderr)
          2    bad usage: unknown option, invalid image reference, platform or severity, missing feed folder
          3    image unreadable: not found, denied, registry unreachable or timing out, malformed manifest/archive
          4    integrity failure: digest mismatch, corrupt or truncated layer, layer over a size/entry limit
          5    the feed folder could not be read
          130  cancelled
        """;

    public const string ApiHelpText = """
        Exit codes (API commands):
          0    ok
          1    internal error (a bug; details on stderr)
          2    bad usage
          3    server unreachable, timing out or failing (5xx)
          6    the API said no: 4xx (not found, unauthorized, forbidden, invalid)
        """;
}
