using System.CommandLine;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Oci;
using SupplyChainMesh.Oci.IO;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Oci.Sources;

namespace SupplyChainMesh.Cli;

/// <summary><c>scm scan IMAGE</c>: read an image from a registry, an OCI layout or a docker archive and list its packages per layer.</summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("IMAGE")
        {
            Description = "docker://HOST/REPO:TAG (or @sha256:...), HOST/REPO:TAG, oci:DIR[:TAG] or docker-archive:FILE[:REF]",
        };
        var format = new Option<string>("--format", "-f") { Description = "Output format", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var platform = new Option<string?>("--platform") { Description = "Platform to pick from a multi-platform index (os/arch[/variant]); default linux/amd64" };
        var allPlatforms = new Option<bool>("--all-platforms") { Description = "Scan every platform of an index" };
        var creds = new Option<string?>("--creds") { Description = "Registry credentials USER:PASSWORD (else SCM_REGISTRY_USERNAME / SCM_REGISTRY_PASSWORD)" };
        var plainHttp = new Option<bool>("--plain-http") { Description = "Talk plain HTTP to the registry (default only for loopback registries)" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds a registry may take to answer one request", DefaultValueFactory = _ => 30 };
        var includeOsOwned = new Option<bool>("--include-os-owned") { Description = "Also report language packages in files the OS package manager owns" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress on stderr" };

        var command = new Command("scan", "List the packages of an image, layer by layer.\n\n" + ExitCodes.HelpText)
        {
            image, format, platform, allPlatforms, creds, plainHttp, timeout, includeOsOwned, quiet,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new ScanOptions(
                parse.GetValue(image)!,
                parse.GetValue(format)!,
                parse.GetValue(platform),
                parse.GetValue(allPlatforms),
                parse.GetValue(creds),
                parse.GetValue(plainHttp),
                TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))),
                parse.GetValue(includeOsOwned),
                parse.GetValue(quiet));
            return await RunAsync(options, Console.Out, Console.Error, ct).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> RunAsync(ScanOptions options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ImageReference reference;
        Platform? platform;
        RegistryCredentials? credentials;
        try
        {
            reference = ImageReference.Parse(options.Image);
            platform = options.Platform is null ? null : Platform.Parse(options.Platform);
            credentials = ParseCredentials(options.Credentials);
        }
        catch (FormatException ex)
        {
            await stderr.WriteLineAsync($"scm: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
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
                var progress = options.Quiet ? null : new LayerProgress(stderr, image.Layers.Count);
                var layers = image.Layers.Select(d => ToLayerSource(source, d, progress)).ToList();
                var inventory = await analyzer.AnalyzeImageAsync(layers, ct).ConfigureAwait(false);
                results.Add(new ScanResult(reference, image, inventory));
            }
            if (options.Format == "json") await ScanOutput.WriteJsonAsync(stdout, results).ConfigureAwait(false);
            else ScanOutput.WriteTable(stdout, results);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("scm: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
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
    }

    /// <summary>Maps an Oci blob to the analysis engine's layer: verified as read, and to its end when the stream closes.</summary>
    internal static LayerSource ToLayerSource(IImageSource source, BlobDescriptor descriptor, LayerProgress? progress) =>
        new(descriptor.Digest, descriptor.MediaType, descriptor.Size, async ct =>
        {
            progress?.Started(descriptor);
            var stream = await source.OpenBlobAsync(descriptor, ct).ConfigureAwait(false);
            if (stream is DigestVerifyingStream verifying) verifying.VerifyOnDispose = true;
            return progress is null ? stream : new ProgressStream(stream, () => progress.Finished(descriptor));
        });

    private static RegistryCredentials? ParseCredentials(string? creds)
    {
        if (creds is null)
        {
            var user = Environment.GetEnvironmentVariable("SCM_REGISTRY_USERNAME");
            var password = Environment.GetEnvironmentVariable("SCM_REGISTRY_PASSWORD");
            return user is { Length: > 0 } && password is not null ? new RegistryCredentials(user, password) : null;
        }
        var colon = creds.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) throw new FormatException("--creds must be USER:PASSWORD.");
        return new RegistryCredentials(creds[..colon], creds[(colon + 1)..]);
    }
}

internal sealed record ScanOptions(string Image, string Format, string? Platform, bool AllPlatforms, string? Credentials, bool PlainHttp,
    TimeSpan Timeout, bool IncludeOsOwned, bool Quiet);

internal sealed record ScanResult(ImageReference Reference, ResolvedImage Image, ImageInventory Inventory);
