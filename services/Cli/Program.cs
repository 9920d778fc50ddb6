using System.CommandLine;
using SupplyChainMesh.Cli;

var root = new RootCommand("scm: SupplyChainMesh command line. Scans container images layer by layer.\n\n" + ExitCodes.HelpText)
{
    ScanCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
