using System.CommandLine;
using System.Diagnostics;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Cli.Reports;
using SupplyChainMesh.Oci;
using SupplyChainMesh.Oci.IO;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Oci.Sources;

namespace SupplyChainMesh.Cli.Scanning;

/// <summary>
/// <c>scm scan IMAGE</c>: read an image from a registry, an OCI layout or a docker archive, list its packages per layer
/// and, with <c>--feeds DIR</c>, match them offline against a local feed folder.
/// </summary>
internal static class ScanCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var image = new Argument<string>("IMAGE")
        {
            Description = "docker://HOST/REPO:TAG (or @sha256:...), HOST/REPO:TAG, oci:DIR[:TAG] or docker-archive:FILE[:REF]",
        };
        var format = new Option<string>("--format", "-f") { Description = "Report format on stdout", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong(ReportFormats.All);
        var feeds = new Option<string?>("--feeds") { Description = "Match offline against this local feed folder (the shape of ../shared/feeds)" };
        var severity = new Option<string?>("--severity", "-s") { Description = $"Report only these severities, comma-separated ({FindingFilter.SeverityNames}); default all" };
        var exitCode = new Option<int>("--exit-code") { Description = "Exit with this code when any reported finding remains (default 0)", DefaultValueFactory = _ => 0 };
        var ignoreUnfixed = new Option<bool>("--ignore-unfixed") { Description = "Leave out vulnerabilities that have no fixed version yet" };
        var platform = new Option<string?>("--platform") { Description = "Platform to pick from a multi-platform index (os/arch[/variant]); default linux/amd64" };
        var allPlatforms = new Option<bool>("--all-platforms") { Description = "Scan every platform of an index" };
        var creds = new Option<string?>("--creds") { Description = "Registry credentials USER:PASSWORD (else SCM_REGISTRY_USERNAME / SCM_REGISTRY_PASSWORD)" };
        var plainHttp = new Option<bool>("--plain-http") { Description = "Talk plain HTTP to the registry (default only for loopback registries)" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds a registry may take to answer one request", DefaultValueFactory = _ => 30 };
        var includeOsOwned = new Option<bool>("--include-os-owned") { Description = "Also report language packages in files the OS package manager owns" };
        var progress = new Option<bool>("--progress") { Description = "Progress on stderr even when stderr is not a terminal" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress on stderr" };

        var command = new Command("scan", "List the packages of an image layer by layer and, with --feeds, its vulnerabilities.\n\n" + ExitCodes.ScanHelpText)
        {
            image, format, feeds, severity, exitCode, ignoreUnfixed, platform, allPlatforms, creds, plainHttp, timeout, includeOsOwned, progress, quiet,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new ScanOptions(parse.GetValue(image)!, parse.GetValue(format)!)
            {
                Feeds = parse.GetValue(feeds),
                Severities = parse.GetValue(severity),
                ExitCode = parse.GetValue(exitCode),
                IgnoreUnfixed = parse.GetValue(ignoreUnfixed),
                Platform = parse.GetValue(platform),
                AllPlatforms = parse.GetValue(allPlatforms),
                Credentials = parse.GetValue(creds),
                PlainHttp = parse.GetValue(plainHttp),
                Timeout = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))),
                IncludeOsOwned = parse.GetValue(includeOsOwned),
                Progress = parse.GetValue(progress),
                Quiet = parse.GetValue(quiet),
            };
            var config = parse.InvocationConfiguration;
            return await RunAsync(options, config.Output, config.Error, environment, ct).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> RunAsync(ScanOptions options, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken ct)
    {
        ImageReference reference;
        Platform? platform;
        RegistryCredentials? credentials;
        FindingFilter filter;
        try
        {
            reference = ImageReference.Parse(options.Image);
            platform = options.Platform is null ? null : Platform.Parse(options.Platform);
            credentials = ParseCredentials(options.Credentials, environment);
            filter = new FindingFilter(FindingFilter.ParseSeverities(options.Severities), options.IgnoreUnfixed);
            if (options.Feeds is { } dir && !Directory.Exists(dir)) throw new FormatException($"--feeds: the folder '{dir}' does not exist.");
            if (options.Feeds is null && (options.Severities is not null || options.IgnoreUnfixed))
                throw new FormatException("--severity and --ignore-unfixed filter vulnerabilities: give --feeds DIR as well.");
        }
        catch (FormatException ex)
        {
            await stderr.WriteLineAsync($"scm: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var showProgress = options.Progress || (!options.Quiet && environment.StderrIsTerminal);
        // The corpus loads while the image is pulled and analysed: both take seconds, and they share nothing.
        using var feedCancellation = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var feedTask = options.Feeds is { } feedFolder ? LoadFeedsAsync(environment, feedFolder, showProgress ? stderr : null, feedCancellation.Token) : null;
        try
        {
            var results = await AnalyzeAsync(reference, platform, credentials, options, showProgress ? stderr : null, ct).ConfigureAwait(false);
            if (feedTask is not null)
            {
                var matcher = new Matcher(await feedTask.ConfigureAwait(false));
                results = [.. results.Select(r => r with { Findings = filter.Match(matcher, r.Inventory) })];
            }
            await ReportFormats.WriteAsync(options.Format, stdout, results).ConfigureAwait(false);
            var reported = results.Sum(r => r.Findings?.Count ?? 0);
            return reported > 0 && options.ExitCode != 0 ? options.ExitCode : ExitCodes.Success;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("scm: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (FeedLoadException ex)
        {
            await stderr.WriteLineAsync($"scm: cannot read the feeds: {ex.InnerException?.Message}").ConfigureAwait(false);
            return ExitCodes.FeedsUnreadable;
        }
        catch (Exception ex) when (ex is DigestMismatchException or LayerAnalysisException)
        {
            await stderr.WriteLineAsync($"scm: integrity failure: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.IntegrityFailure;
        }
        catch (Exception ex) when (ex is RegistryException or ImageSourceException or ManifestFormatException or NoMatchingPlatformException)
        {
            await stderr.WriteLineAsync($"scm: cannot read {reference}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.ImageUnreadable;
        }
        catch (Exception ex)
        {
            await stderr.WriteLineAsync($"scm: internal error: {ex}").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
        finally
        {
            // A failed pull stops the corpus load and does not leave it faulted and unobserved.
            if (feedTask is not null)
            {
                await feedCancellation.CancelAsync().ConfigureAwait(false);
                await ((Task)feedTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private static async Task<List<ScanResult>> AnalyzeAsync(ImageReference reference, Platform? platform, RegistryCredentials? credentials,
        ScanOptions options, TextWriter? progressWriter, CancellationToken ct)
    {
        var registryOptions = new RegistryClientOptions
        {
            Credentials = _ => credentials,
            PlainHttp = options.PlainHttp ? true : null,
            RequestTimeout = options.Timeout,
        };
        await using var source = await ImageSources.OpenAsync(reference, registryOptions, ct).ConfigureAwait(false);
        var images = await source.ResolveImagesAsync(platform, options.AllPlatforms, ct).ConfigureAwait(false);
        var analyzer = new ImageAnalyzer(Detectors.All(), LayerAnalysisOptions.Default with { IncludeOsOwnedLanguagePackages = options.IncludeOsOwned });
        var results = new List<ScanResult>(images.Count);
        foreach (var image in images)
        {
            var progress = progressWriter is null ? null : new LayerProgress(progressWriter, image.Layers.Count);
            var layers = image.Layers.Select(d => ToLayerSource(source, d, progress)).ToList();
            var inventory = await analyzer.AnalyzeImageAsync(layers, ct).ConfigureAwait(false);
            results.Add(new ScanResult(reference, image, inventory));
        }
        return results;
    }

    private static async Task<VulnerabilityIndex> LoadFeedsAsync(CliEnvironment environment, string folder, TextWriter? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        VulnerabilityIndex index;
        try
        {
            index = await environment.LoadFeedsAsync(folder, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new FeedLoadException(ex);
        }
        progress?.WriteLine($"scm: feeds: {index.AdvisoryCount} advisories, {index.Kev.Count} KEV entries from {folder} in {clock.Elapsed.TotalSeconds:0.0} s");
        return index;
    }

    /// <summary>Maps an Oci blob to the analysis engine's layer: verified as read, and to its end when the stream closes.</summary>
    internal static LayerSource ToLayerSource(IImageSource source, BlobDescriptor descriptor, LayerProgress? progress) =>
        new(descriptor.Digest, descriptor.MediaType, descriptor.Size, async ct =>
        {
            progress?.Started(descriptor);
            var stream = await source.OpenBlobAsync(descriptor, ct).ConfigureAwait(false);
            if (stream is DigestVerifyingStream verifying) verifying.VerifyOnDispose = true;
            return progress is null ? stream : new ProgressStream(stream, descriptor, progress);
        });

    private static RegistryCredentials? ParseCredentials(string? creds, CliEnvironment environment)
    {
        if (creds is null)
        {
            var user = environment.GetVariable("SCM_REGISTRY_USERNAME");
            var password = environment.GetVariable("SCM_REGISTRY_PASSWORD");
            return user is { Length: > 0 } && password is not null ? new RegistryCredentials(user, password) : null;
        }
        var colon = creds.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) throw new FormatException("--creds must be USER:PASSWORD.");
        return new RegistryCredentials(creds[..colon], creds[(colon + 1)..]);
    }

    private sealed class FeedLoadException(Exception inner) : Exception(inner.Message, inner);
}

internal sealed record ScanOptions(string Image, string Format)
{
    public string? Feeds { get; init; }

    public string? Severities { get; init; }

    public int ExitCode { get; init; }

    public bool IgnoreUnfixed { get; init; }

    public string? Platform { get; init; }

    public bool AllPlatforms { get; init; }

    public string? Credentials { get; init; }

    public bool PlainHttp { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool IncludeOsOwned { get; init; }

    public bool Progress { get; init; }

    public bool Quiet { get; init; }
}
