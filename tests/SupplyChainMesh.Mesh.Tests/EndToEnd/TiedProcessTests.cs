using System.Diagnostics;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.EndToEnd;

/// <summary>
/// The service and registry processes of the end-to-end tests die with the test runner. A runner that dies has its
/// end of every pipe closed by the kernel; closing the tied process's standard input here is that same event, without
/// killing the runner that runs this test.
/// </summary>
public sealed class TiedProcessTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_child_is_killed_when_the_runner_end_of_its_pipe_closes_and_its_siblings_live_on()
    {
        // The second is started after the first: it must not hold a copy of the first one's pipe (which would keep
        // the first child alive after the runner's death).
        using var first = StartSleeper();
        using var second = StartSleeper();
        try
        {
            var firstPid = await ChildPidAsync(first);
            var secondPid = await ChildPidAsync(second);
            Assert.True(IsAlive(firstPid));

            first.StandardInput.Close();

            await Eventually.HoldsAsync(() => Task.FromResult(!IsAlive(firstPid)), Within, $"the first child ({firstPid}) is gone");
            using (var exited = new CancellationTokenSource(Within)) await first.WaitForExitAsync(exited.Token);
            Assert.Equal(128 + 9, first.ExitCode); // the child's SIGKILL, reported as sh reports it
            Assert.True(IsAlive(secondPid), "the second child lives on while its own pipe is open");
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            first.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task A_child_that_ends_by_itself_ends_the_tied_process_with_its_exit_code()
    {
        var start = new ProcessStartInfo("sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exit 3");
        using var process = TiedProcess.Start(start);
        using var exited = new CancellationTokenSource(Within);
        await process.WaitForExitAsync(exited.Token);
        Assert.Equal(3, process.ExitCode);
    }

    [Fact]
    public void Arguments_given_as_one_string_are_refused()
    {
        Assert.Throws<ArgumentException>(() => TiedProcess.For(new ProcessStartInfo("sleep", "300")));
    }

    // sh prints its pid, then becomes sleep (exec keeps the pid): the pid of the real child.
    private static Process StartSleeper()
    {
        var start = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("echo $$; exec sleep 300");
        return TiedProcess.Start(start);
    }

    private static async Task<int> ChildPidAsync(Process tied)
    {
        using var read = new CancellationTokenSource(Within);
        var line = await tied.StandardOutput.ReadLineAsync(read.Token);
        return int.Parse(line ?? throw new InvalidOperationException("the child printed no pid"), System.Globalization.CultureInfo.InvariantCulture);
    }

    // A zombie (killed, not yet reaped) counts as gone.
    private static bool IsAlive(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            return !status.Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z', StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }
}
