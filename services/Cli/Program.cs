using SupplyChainMesh.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await ScmApp.RunAsync(args, Console.Out, Console.Error, CliEnvironment.Default, cancel.Token);
