using System.Text;
using BenchmarkDotNet.Attributes;
using SupplyChainMesh.Analysis.Distributions;
using SupplyChainMesh.Analysis.Go;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Maven;
using SupplyChainMesh.Analysis.Npm;
using SupplyChainMesh.Analysis.NuGet;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Analysis.Php;
using SupplyChainMesh.Analysis.Python;
using SupplyChainMesh.Analysis.Ruby;
using SupplyChainMesh.Analysis.Rust;

namespace SupplyChainMesh.Benchmarks.Benchmarks;

/// <summary>
/// The language detectors' two costs: <see cref="IPackageDetector.Wants"/>, paid for every file of every layer (must
/// not allocate), and parsing the files they want. Inputs are the real fixtures in ../shared/fixtures/lang, plus a
/// 32 MiB Go-like executable whose build info sits at the end of its data (the scan's worst case).
/// </summary>
[MemoryDiagnoser]
public class LanguageDetectorBenchmarks
{
    private readonly IPackageDetector[] _all =
    [
        new PackageJsonDetector(), new PythonMetadataDetector(), new JarDetector(), new DepsJsonDetector(),
        new GoBinaryDetector(), new CargoAuditableDetector(), new GemspecDetector(), new ComposerInstalledDetector(),
    ];

    // What a Debian-based image mostly holds: libraries, docs, locales, executables, a few language files.
    private static readonly LayerFile[] TypicalFiles =
    [
        new("usr/lib/x86_64-linux-gnu/libssl.so.3", 700_000, 0b110_100_100),
        new("usr/share/doc/libssl3/changelog.Debian.gz", 3_000, 0b110_100_100),
        new("usr/share/locale/de/LC_MESSAGES/coreutils.mo", 150_000, 0b110_100_100),
        new("usr/bin/ls", 150_000, 0b111_101_101),
        new("usr/bin/bash", 1_300_000, 0b111_101_101),
        new("app/node_modules/lodash/package.json", 1_200, 0b110_100_100),
        new("app/node_modules/lodash/lodash.js", 540_000, 0b110_100_100),
        new("usr/lib/python3/dist-packages/idna-3.3.egg-info/PKG-INFO", 9_000, 0b110_100_100),
        new("usr/share/java/guava.jar", 2_900_000, 0b110_100_100),
        new("etc/ssl/certs/ca-certificates.crt", 200_000, 0b110_100_100),
    ];

    private readonly CountingSink _sink = new();
    private byte[] _depsJson = [];
    private byte[] _metadata = [];
    private byte[] _gemspec = [];
    private byte[] _installedJson = [];
    private byte[] _packageJson = [];
    private byte[] _goBinary = [];

    [GlobalSetup]
    public void Setup()
    {
        var lang = Path.Combine(SharedDirectory(), "fixtures", "lang");
        _depsJson = File.ReadAllBytes(Path.Combine(lang, "dotnet", "TestLibrary.deps.json"));
        _metadata = File.ReadAllBytes(Path.Combine(lang, "python", "trivy-metadata", "networkx-3.0.METADATA"));
        _gemspec = File.ReadAllBytes(Path.Combine(lang, "ruby", "specifications", "bundler.gemspec"));
        _installedJson = File.ReadAllBytes(Path.Combine(lang, "php", "composer_2", "installed.json"));
        _packageJson = Encoding.UTF8.GetBytes("""
            {"name":"express","description":"Fast, unopinionated, minimalist web framework","version":"4.17.1",
             "author":"TJ Holowaychuk <tj@vision-media.ca>","license":"MIT",
             "repository":"expressjs/express","keywords":["express","framework","sinatra","web","rest","restful","router","app","api"],
             "dependencies":{"accepts":"~1.3.7","array-flatten":"1.1.1","body-parser":"1.19.0","content-disposition":"0.5.3"},
             "devDependencies":{"after":"0.8.2","connect-redis":"3.4.1","cookie-parser":"~1.4.4"},
             "engines":{"node":">= 0.10.0"},"files":["LICENSE","History.md","Readme.md","index.js","lib/"],
             "scripts":{"lint":"eslint .","test":"mocha --require test/support/env --reporter spec --bail --check-leaks test/ test/acceptance/"}}
            """);
        _goBinary = SyntheticGoBinary(32 * 1024 * 1024);
    }

    [Benchmark(Description = "Wants: 8 detectors x 10 typical files")]
    public int Wants()
    {
        var wanted = 0;
        foreach (var file in TypicalFiles)
        {
            foreach (var detector in _all)
            {
                if (detector.Wants(file)) wanted++;
            }
        }
        return wanted;
    }

    [Benchmark]
    public ValueTask PackageJson() => Detect(new PackageJsonDetector(), _packageJson, "app/node_modules/express/package.json");

    [Benchmark]
    public ValueTask DepsJson() => Detect(new DepsJsonDetector(), _depsJson, "app/TestLibrary.deps.json");

    [Benchmark]
    public ValueTask PythonMetadata() => Detect(new PythonMetadataDetector(), _metadata, "usr/lib/python3/dist-packages/networkx-3.0.dist-info/METADATA");

    [Benchmark]
    public ValueTask Gemspec() => Detect(new GemspecDetector(), _gemspec, "var/lib/gems/3.1.0/specifications/bundler-2.1.4.gemspec");

    [Benchmark]
    public ValueTask ComposerInstalled() => Detect(new ComposerInstalledDetector(), _installedJson, "app/vendor/composer/installed.json");

    [Benchmark(Description = "Go build info: 32 MiB executable, blob at the end")]
    public ValueTask GoBinary() => Detect(new GoBinaryDetector(), _goBinary, "usr/local/bin/tool");

    private ValueTask Detect(IPackageDetector detector, byte[] content, string path) =>
        detector.DetectAsync(new LayerFile(path, content.Length, 0b111_101_101), new MemoryStream(content, writable: false), _sink, CancellationToken.None);

    private static byte[] SyntheticGoBinary(int size)
    {
        var bytes = new byte[size];
        new Random(1).NextBytes(bytes);
        bytes[0] = 0x7f; bytes[1] = (byte)'E'; bytes[2] = (byte)'L'; bytes[3] = (byte)'F'; bytes[4] = 2; bytes[5] = 1;
        bytes.AsSpan(6, 58).Clear(); // no program headers: the whole file is scanned
        var at = (size - 4096) & ~15;
        byte[] header = [0xff, .. " Go buildinf:"u8, 8, 2, .. new byte[16]];
        var modInfo = Encoding.UTF8.GetBytes("0123456789abcdefpath\tx\nmod\texample.com/x\tv1.0.0\t\ndep\tgolang.org/x/net\tv0.17.0\th1:x=\n0123456789abcdef");
        byte[] blob = [.. header, 8, .. "go1.21.5"u8, (byte)modInfo.Length, .. modInfo];
        blob.CopyTo(bytes, at);
        return bytes;
    }

    private static string SharedDirectory()
    {
        if (Environment.GetEnvironmentVariable("SCM_SHARED_DIR") is { Length: > 0 } dir) return dir;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "SupplyChainMesh.sln"))) return Path.Combine(d.Parent!.FullName, "shared");
        }
        throw new InvalidOperationException("Cannot find SupplyChainMesh.sln above " + AppContext.BaseDirectory + "; set SCM_SHARED_DIR.");
    }

    private sealed class CountingSink : IDetectionSink
    {
        public int Count { get; private set; }

        public void Package(Package package) => Count++;

        public void Distribution(Distribution distribution, string path)
        {
        }

        public void OwnedFile(string path)
        {
        }

        public void Problem(string path, string reason) => Count++;
    }
}
