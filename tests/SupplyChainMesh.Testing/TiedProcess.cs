using System.Diagnostics;

namespace SupplyChainMesh.Testing;

/// <summary>
/// Child processes that die with the test runner, however it ends (a <c>kill -9</c>, a CI job cancelled): a service
/// host or registry left behind holds its port and its queues and disturbs the next run. Linux has
/// <c>PR_SET_PDEATHSIG</c> for this, but .NET starts processes without a hook to call it; instead the child runs under
/// a small <c>sh</c> that holds the read end of a pipe whose write end only the runner holds (the redirected
/// standard input, never written). When the runner goes, the kernel closes that end, the watcher reads end-of-file and
/// kills the child. A child that ends by itself ends the <c>sh</c> with its exit code, so <see cref="Process.HasExited"/>
/// and <see cref="Process.ExitCode"/> mean what they meant.
/// </summary>
public static class TiedProcess
{
    // $1.. is the real command line. fd 3 is the runner's pipe: the child does not get it (nor the pipe as its stdin),
    // the watcher reads it to its end.
    private const string Watcher = """
        exec 3<&0
        "$@" 3<&- </dev/null &
        child=$!
        (while read -r _ <&3; do :; done; kill -KILL "$child" 2>/dev/null) &
        watcher=$!
        exec 3<&-
        wait "$child"
        status=$?
        kill "$watcher" 2>/dev/null
        exit "$status"
        """;

    /// <summary>
    /// The start info that runs <paramref name="start"/> tied to this process: same command (which must be given by
    /// <see cref="ProcessStartInfo.ArgumentList"/>), working directory, environment and output redirection, with the
    /// standard input redirected. Keep the started <see cref="Process"/> referenced until the child is done with.
    /// </summary>
    public static ProcessStartInfo For(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (!string.IsNullOrEmpty(start.Arguments))
            throw new ArgumentException("Give the arguments by ArgumentList: they are passed on to sh unchanged.", nameof(start));
        var tied = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = start.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = start.RedirectStandardOutput,
            RedirectStandardError = start.RedirectStandardError,
        };
        tied.ArgumentList.Add("-c");
        tied.ArgumentList.Add(Watcher);
        tied.ArgumentList.Add("tied");
        tied.ArgumentList.Add(start.FileName);
        foreach (var argument in start.ArgumentList) tied.ArgumentList.Add(argument);
        tied.Environment.Clear();
        foreach (var (key, value) in start.Environment) tied.Environment[key] = value;
        return tied;
    }

    /// <summary>Starts <paramref name="start"/> tied to this process (see <see cref="For"/>).</summary>
    public static Process Start(ProcessStartInfo start) =>
        Process.Start(For(start)) ?? throw new InvalidOperationException($"Cannot start {start.FileName}.");
}
