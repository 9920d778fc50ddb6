using System.Diagnostics;

namespace SupplyChainMesh.Analysis.Tests.Versions;

/// <summary>Runs a real ecosystem tool (dpkg, rpm) for cross-checks; fails loudly, naming the package, when it is missing.</summary>
internal static class ExternalTool
{
    public static string Require(string tool, string debianPackage)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            var path = Path.Combine(dir, tool);
            if (File.Exists(path)) return path;
        }
        throw new InvalidOperationException(
            $"'{tool}' is not installed, so the cross-check against the real tool cannot run. Install it: apt-get install -y {debianPackage}");
    }

    public static string Run(string fileName, IEnumerable<string> arguments, string? standardInput = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {fileName}");
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} exited with {process.ExitCode}: {stderr.Result}");
        return output;
    }
}
