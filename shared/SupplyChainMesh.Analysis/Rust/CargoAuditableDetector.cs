using System.IO.Compression;
using System.Text.Json;
using SupplyChainMesh.Analysis.Elf;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Rust;

/// <summary>
/// Crates compiled into Rust executables built with cargo-auditable, which embeds the dependency tree as
/// zlib-compressed JSON (<c>{"packages":[{"name","version","source","kind","dependencies","root"}]}</c>) in the ELF
/// section <c>.dep-v0</c> (Trivy's rustbinary analyzer). Build-time crates (<c>"kind":"build"</c>) never reach the
/// binary and are left out; of the rest we report crates from crates.io and the root crate — path and git crates
/// are not what an advisory names.
/// cargo-auditable's object file marks the section without SHF_ALLOC, so the linker puts it after the loaded segments,
/// near the section header table at the end: <see cref="ElfExecutablePass"/> keeps just that part of the file as it
/// streams by (in the same pass as the Go detector), never the whole executable. Executables over
/// <see cref="MaxExecutableBytes"/> are not looked at, as before.
/// </summary>
public sealed class CargoAuditableDetector(int maxExecutableBytes = CargoAuditableDetector.DefaultMaxExecutableBytes) : IElfExecutableDetector
{
    public const int DefaultMaxExecutableBytes = 64 * 1024 * 1024;
    private const long MinimumLength = 64 * 1024;
    private const int MaxJsonBytes = 16 * 1024 * 1024;

    public int MaxExecutableBytes { get; } = maxExecutableBytes;

    public string Name => "rustbinary";

    public int Version => 1;

    public bool Wants(in LayerFile file) => file.IsExecutable && file.Length >= MinimumLength && file.Length <= MaxExecutableBytes;

    ElfPassNeeds IElfExecutableDetector.Needs => ElfPassNeeds.UnloadedSections;

    public async ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken)
    {
        using var scan = await ElfExecutablePass.ReadAsync(content, file.Length, ElfPassNeeds.UnloadedSections, cancellationToken).ConfigureAwait(false);
        Report(file, scan, sink);
    }

    void IElfExecutableDetector.Report(LayerFile file, ElfExecutableScan scan, IDetectionSink sink) => Report(file, scan, sink);

    private void Report(LayerFile file, ElfExecutableScan scan, IDetectionSink sink)
    {
        if (scan.Image is not { } image) return;
        if (!ElfSectionLocator.TryFind(image, ".dep-v0"u8, out var section, out var error))
        {
            if (error is not null) sink.Problem(file.Path, error);
            return;
        }
        byte[] json;
        try
        {
            json = Inflate(section);
        }
        catch (InvalidDataException ex)
        {
            sink.Problem(file.Path, $"cargo-auditable data in .dep-v0 is not valid zlib: {ex.Message}");
            return;
        }
        if (json.Length > MaxJsonBytes)
        {
            sink.Problem(file.Path, $"cargo-auditable data inflates past {MaxJsonBytes} bytes; skipped");
            return;
        }
        try
        {
            ReportCrates(file, json, sink);
        }
        catch (JsonException ex)
        {
            sink.Problem(file.Path, $"cargo-auditable data is not valid JSON: {ex.Message}");
        }
    }

    private static byte[] Inflate(ReadOnlyMemory<byte> compressed)
    {
        using var zlib = new ZLibStream(new Maven.ReadOnlyMemoryStream(compressed), CompressionMode.Decompress);
        var output = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = zlib.Read(chunk)) > 0)
        {
            output.Write(chunk, 0, read);
            if (output.Length > MaxJsonBytes) break; // the caller reports it; do not inflate a bomb further
        }
        return output.ToArray();
    }

    private void ReportCrates(LayerFile file, byte[] json, IDetectionSink sink)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("packages", out var packages)
            || packages.ValueKind != JsonValueKind.Array)
        {
            sink.Problem(file.Path, "cargo-auditable data has no 'packages' array");
            return;
        }
        foreach (var crate in packages.EnumerateArray())
        {
            if (crate.ValueKind != JsonValueKind.Object) continue;
            var name = String(crate, "name");
            var version = String(crate, "version");
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version))
            {
                sink.Problem(file.Path, "cargo-auditable package without name or version");
                continue;
            }
            var kind = String(crate, "kind") ?? "runtime";
            if (kind != "runtime") continue;
            var isRoot = crate.TryGetProperty("root", out var root) && root.ValueKind == JsonValueKind.True;
            if (String(crate, "source") != "crates.io" && !isRoot) continue;
            sink.Package(new Package
            {
                Type = PurlType.Cargo,
                Name = name,
                Version = version,
                Path = file.Path,
                Detector = Name,
            });
        }
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
