using System.CommandLine;
using System.Text.Json;
using SupplyChainMesh.Cli.Api;
using SupplyChainMesh.Cli.Reports;

namespace SupplyChainMesh.Cli.Commands;

/// <summary>Options every API command takes: where the gateway is, how to print, how long to wait.</summary>
internal sealed class ApiOptions
{
    public const string DefaultServer = "http://127.0.0.1:8080";

    public Option<string?> Server { get; } = new("--server") { Description = $"Gateway URL (else SCM_SERVER, else the server of 'scm login', else {DefaultServer})" };

    public Option<string> Output { get; } = new("--output", "-o") { Description = "table for people, json for scripts", DefaultValueFactory = _ => "table" };

    public Option<int> Timeout { get; } = new("--timeout") { Description = "Seconds to wait for an answer", DefaultValueFactory = _ => 30 };

    public ApiOptions() => Output.AcceptOnlyFromAmong("table", "json");

    public Command AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Output);
        command.Options.Add(Timeout);
        return command;
    }
}

/// <summary>One API command being run: its parse result, the client, the writers and the output choice.</summary>
internal sealed record ApiInvocation(ParseResult Parse, ScmApiClient Client, TextWriter Stdout, TextWriter Stderr, bool Json, CancellationToken Cancellation)
{
    /// <summary>Prints an answer: as JSON for scripts, else as a table with these columns first (those present).</summary>
    public Task PrintAsync(JsonElement answer, params string[] columns) =>
        Json ? WriteJsonAsync(answer) : JsonTable.WriteAsync(Stdout, answer, columns);

    public Task WriteJsonAsync(JsonElement answer) => JsonOutput.WriteAsync(Stdout, json =>
    {
        if (answer.ValueKind == JsonValueKind.Undefined) json.WriteNullValue();
        else answer.WriteTo(json);
    });
}

/// <summary>A mistake of the caller found after parsing (a missing file, a malformed reference). Exit 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Resolves server and token, runs an API command and maps every failure to its exit code.</summary>
internal static class ApiCommandRunner
{
    public static Command WithApiAction(this Command command, ApiOptions options, CliEnvironment environment, Func<ApiInvocation, Task<int>> body)
    {
        options.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            try
            {
                var config = await ScmConfig.LoadAsync(environment.ResolveConfigDirectory(), ct).ConfigureAwait(false);
                var server = ResolveServer(parse.GetValue(options.Server), environment, config);
                var token = environment.GetVariable("SCM_TOKEN") is { Length: > 0 } fromEnvironment ? fromEnvironment : config.Token;
                var client = ScmApiClient.Create(server, token, environment.HttpHandler, TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(options.Timeout))));
                var json = parse.GetValue(options.Output) == "json";
                return await body(new ApiInvocation(parse, client, stdout, stderr, json, ct)).ConfigureAwait(false);
            }
            catch (ApiRefusedException ex)
            {
                await stderr.WriteLineAsync($"scm: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.ApiRefused;
            }
            catch (ApiUnreachableException ex)
            {
                await stderr.WriteLineAsync($"scm: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.ServerUnreachable;
            }
            catch (Exception ex) when (ex is UsageException or FormatException)
            {
                await stderr.WriteLineAsync($"scm: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await stderr.WriteLineAsync("scm: cancelled").ConfigureAwait(false);
                return ExitCodes.Cancelled;
            }
        });
        return command;
    }

    /// <summary><c>--server</c>, else <c>SCM_SERVER</c>, else the stored server, else the local gateway.</summary>
    public static Uri ResolveServer(string? option, CliEnvironment environment, ScmConfig config)
    {
        var text = option is { Length: > 0 } ? option
            : environment.GetVariable("SCM_SERVER") is { Length: > 0 } variable ? variable
            : config.Server ?? ApiOptions.DefaultServer;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new UsageException($"'{text}' is not an http(s) URL of the gateway.");
        // A base address without a trailing slash would drop its last path segment from relative requests.
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }
}
