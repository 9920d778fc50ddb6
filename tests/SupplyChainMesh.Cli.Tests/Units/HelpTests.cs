namespace SupplyChainMesh.Cli.Tests.Units;

public class HelpTests
{
    [Fact]
    public async Task Scan_help_documents_formats_and_exit_codes_on_stdout_with_exit_0()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ScmApp.RunAsync(["scan", "--help"], stdout, stderr, new CliEnvironment());
        Assert.Equal(0, exit);
        var help = stdout.ToString();
        foreach (var text in new[] { "Exit codes:", "--exit-code", "--feeds", "--severity", "--ignore-unfixed", "cyclonedx", "sarif", "integrity failure" })
            Assert.Contains(text, help, StringComparison.Ordinal);
    }
}
