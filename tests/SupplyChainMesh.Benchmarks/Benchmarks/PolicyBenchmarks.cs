using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Policy.Admission;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Criteria;
using SupplyChainMesh.Policy.Exceptions;
using SupplyChainMesh.Policy.Promotion;
using SupplyChainMesh.Policy.Vex;

namespace SupplyChainMesh.Benchmarks.Benchmarks;

/// <summary>
/// Policy evaluation at scale: 1,000 image assessments (60 packages, 25 findings each, shaped like Debian + npm scans)
/// against 50 promotion policies that all match the repository (the worst case), with 20 exceptions and 20 VEX
/// statements. Target: under 1 s for the whole batch.
/// </summary>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmarks
{
    private ImageAssessment[] _images = [];
    private PromotionPolicy[] _policies = [];
    private VulnerabilityException[] _exceptions = [];
    private VexStatement[] _vex = [];
    private readonly DateTimeOffset _now = new(2026, 11, 29, 20, 0, 0, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        var data = new PolicyWorkload(_now);
        _images = data.Images(1000);
        _policies = PolicyWorkload.Policies(50);
        _exceptions = data.Exceptions(20);
        _vex = data.Vex(20);
    }

    // On a shared machine the wall clock says more about the neighbours than about us: the process CPU time of each
    // iteration (GC threads included) is printed at the end as well.
    private readonly List<double> _cpuMilliseconds = [];
    private TimeSpan _cpuAtStart;

    [IterationSetup]
    public void StartCpuClock() => _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;

    [IterationCleanup]
    public void StopCpuClock() => _cpuMilliseconds.Add((Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart).TotalMilliseconds);

    [GlobalCleanup]
    public void ReportCpuTime()
    {
        if (_cpuMilliseconds.Count == 0) return;
        _cpuMilliseconds.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// CPU time per batch (process, {_cpuMilliseconds.Count} iterations incl. warm-up): min {_cpuMilliseconds[0]:F0} ms, " +
            $"Q1 {_cpuMilliseconds[_cpuMilliseconds.Count / 4]:F0} ms, median {_cpuMilliseconds[_cpuMilliseconds.Count / 2]:F0} ms"));
    }

    [Benchmark(Description = "1,000 images x 50 policies")]
    public int Evaluate1000ImagesAgainst50Policies()
    {
        var satisfied = 0;
        foreach (var image in _images)
        {
            var result = PolicyEvaluator.Default.Evaluate(image, _policies, _exceptions, _vex, _now);
            foreach (var verdict in result.Verdicts)
                if (verdict.Outcome == PolicyOutcome.Satisfied) satisfied++;
        }
        return satisfied;
    }
}

/// <summary>
/// One admission review of a Pod with 5 images (2 init containers, 3 containers) whose verdicts are cached in memory,
/// from the raw request body to the response. Each iteration is one call, so the percentiles are per review.
/// Target: p99 under 10 ms.
/// </summary>
[Config(typeof(PerCallConfig))]
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 50, iterationCount: 2000, invocationCount: 1)]
public class AdmissionReviewBenchmarks
{
    private byte[] _body = [];
    private AdmissionController _controller = null!;
    private CachedVerdicts _verdicts = null!;

    [GlobalSetup]
    public void Setup()
    {
        string[] images =
        [
            "registry.example.com/prod/migrations:2.4.1",
            "registry.example.com/prod/config-init@sha256:9b2c4d1e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80910",
            "registry.example.com/prod/payments:1.4.2",
            "registry.example.com/prod/envoy:1.31.2",
            "registry.example.com/prod/fluent-bit:3.1.9",
        ];
        _verdicts = new CachedVerdicts();
        foreach (var image in images)
        {
            _verdicts.Add(ImageReference.Parse(image), new ImageVerdict
            {
                Digest = "sha256:" + new string('a', 64),
                Scanned = true,
                SatisfiedPolicies = new HashSet<string> { "prod-ready" },
                HighestSeverity = Severity.Medium,
                FindingCounts = new Dictionary<Severity, int> { [Severity.Medium] = 3, [Severity.Low] = 12 },
            });
        }
        _controller = new AdmissionController(
        [
            new AdmissionRule
            {
                Name = "prod", Namespaces = ["prod"], AllowedRepositories = ["registry.example.com/prod/*"], RequireDigest = true,
                RequireScanned = true, RequiredPolicy = "prod-ready", MaxSeverity = Severity.High, DenyKev = true,
            },
            new AdmissionRule { Name = "audit-all", Mode = AdmissionMode.Audit, RequireScanned = true, DenyKev = true },
        ]);
        _body = Encoding.UTF8.GetBytes(PodReview(images));
    }

    [Benchmark(Description = "admission review, 5 images, cached verdicts")]
    public bool Review() => _controller.ReviewAsync(_body, _verdicts).AsTask().GetAwaiter().GetResult().Response!.Allowed;

    private static string PodReview(string[] images)
    {
        static string Container(string name, string image) =>
            $$"""{"name":"{{name}}","image":"{{image}}","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}""";
        var init = string.Join(",", images.Take(2).Select((image, i) => Container($"init-{i}", image)));
        var main = string.Join(",", images.Skip(2).Select((image, i) => Container($"app-{i}", image)));
        return $$$$"""
            {"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"3c4e1f0a-8f5b-4c1e-9a43-5f8c2e7d9b10",
             "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
             "requestKind":{"group":"","version":"v1","kind":"Pod"},"requestResource":{"group":"","version":"v1","resource":"pods"},
             "name":"payments-7d9f8","namespace":"prod","operation":"CREATE",
             "userInfo":{"username":"system:serviceaccount:kube-system:replicaset-controller","groups":["system:serviceaccounts","system:authenticated"]},
             "object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"payments-7d9f8","namespace":"prod","labels":{"app":"payments"}},
               "spec":{"initContainers":[{{{{init}}}}],"containers":[{{{{main}}}}],"restartPolicy":"Always","dnsPolicy":"ClusterFirst","schedulerName":"default-scheduler"},
               "status":{"phase":"Pending"}},
             "oldObject":null,"dryRun":false,"options":{"kind":"CreateOptions","apiVersion":"meta.k8s.io/v1"}}}
            """;
    }

    private sealed class CachedVerdicts : IImageVerdictLookup
    {
        private readonly Dictionary<ImageReference, ImageVerdict> _cache = [];

        public void Add(ImageReference reference, ImageVerdict verdict) => _cache[reference] = verdict;

        public ValueTask<ImageVerdict?> FindAsync(ImageReference image, CancellationToken cancellationToken) =>
            ValueTask.FromResult(_cache.GetValueOrDefault(image));
    }

    private sealed class PerCallConfig : ManualConfig
    {
        public PerCallConfig()
        {
            AddColumn(StatisticColumn.P50, StatisticColumn.P95, new P99Column(), StatisticColumn.Max);
        }
    }

    private sealed class P99Column : IColumn
    {
        public string Id => "P99";
        public string ColumnName => "P99";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Statistics;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Time;
        public string Legend => "99th percentile of single review times";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var stats = summary[benchmarkCase]?.ResultStatistics;
            return stats is null ? "NA" : $"{stats.Percentiles.Percentile(99) / 1_000_000.0:0.000} ms";
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}

/// <summary>Deterministic, realistically shaped inputs for the policy benchmarks.</summary>
internal sealed class PolicyWorkload(DateTimeOffset now)
{
    private static readonly (string Name, string Version, string License)[] DebianPackages =
    [
        ("openssl", "3.0.11-1~deb12u2", "Apache-2.0"), ("libssl3", "3.0.11-1~deb12u2", "Apache-2.0"), ("zlib1g", "1:1.2.13.dfsg-1", "Zlib"),
        ("libc6", "2.36-9+deb12u3", "LGPL-2.1-or-later AND GPL-2.0-or-later"), ("libcurl4", "7.88.1-10+deb12u5", "curl"),
        ("libxml2", "2.9.14+dfsg-1.3~deb12u1", "MIT"), ("libsqlite3-0", "3.40.1-2", "blessing"), ("perl-base", "5.36.0-7+deb12u1", "GPL-1.0-or-later OR Artistic-1.0-Perl"),
        ("libgnutls30", "3.7.9-2+deb12u2", "LGPL-2.1-or-later"), ("libsystemd0", "252.22-1~deb12u1", "LGPL-2.1-or-later"), ("tzdata", "2024a-0+deb12u1", "public-domain"),
        ("libexpat1", "2.5.0-1", "MIT"), ("libgcrypt20", "1.10.1-3", "LGPL-2.1-or-later"), ("libkrb5-3", "1.20.1-2+deb12u1", "MIT"),
        ("ncurses-base", "6.4-4", "MIT"), ("bash", "5.2.15-2+b2", "GPL-3.0-or-later"), ("coreutils", "9.1-1", "GPL-3.0-or-later"),
        ("apt", "2.6.1", "GPL-2.0-or-later"), ("libpcre2-8-0", "10.42-1", "BSD-3-Clause"), ("libzstd1", "1.5.4+dfsg2-5", "BSD-3-Clause OR GPL-2.0-only"),
    ];

    private static readonly (string Name, string Version, string License)[] NpmPackages =
    [
        ("lodash", "4.17.20", "MIT"), ("express", "4.18.2", "MIT"), ("minimist", "1.2.5", "MIT"), ("node-forge", "1.3.0", "(BSD-3-Clause OR GPL-2.0)"),
        ("semver", "7.5.1", "ISC"), ("axios", "1.6.0", "MIT"), ("jsonwebtoken", "8.5.1", "MIT"), ("ws", "8.13.0", "MIT"), ("tar", "6.1.11", "ISC"),
        ("follow-redirects", "1.15.2", "MIT"),
    ];

    private readonly Random _random = new(20261129);

    public ImageAssessment[] Images(int count) => [.. Enumerable.Range(0, count).Select(Image)];

    private ImageAssessment Image(int i)
    {
        var packages = new List<AssessedPackage>();
        for (var k = 0; k < 60; k++)
        {
            var deb = k < 40;
            var (name, version, license) = deb ? DebianPackages[k % DebianPackages.Length] : NpmPackages[k % NpmPackages.Length];
            var suffix = k >= DebianPackages.Length && deb ? $"-{k}" : "";
            var purl = deb
                ? $"pkg:deb/debian/{name}{suffix}@{Uri.EscapeDataString(version)}?arch=amd64&distro=debian-12"
                : $"pkg:npm/{name}{(k >= 40 + NpmPackages.Length ? $"-{k}" : "")}@{version}";
            packages.Add(new AssessedPackage { Purl = purl, Name = name + suffix, Version = version, Type = deb ? "deb" : "npm", Licenses = [license] });
        }
        var findings = new List<Finding>();
        for (var f = 0; f < 25; f++)
        {
            var package = packages[_random.Next(packages.Count)];
            var severity = (Severity)_random.Next(0, 6);
            var fixable = _random.NextDouble() < 0.6;
            findings.Add(new Finding
            {
                VulnerabilityId = $"CVE-{2019 + f % 6}-{10000 + _random.Next(40000)}",
                Aliases = f % 3 == 0 ? [$"GHSA-{f:x4}-{i:x4}-abcd"] : [],
                PackagePurl = package.Purl,
                Severity = severity,
                CvssScore = severity == Severity.Unknown ? null : Math.Round(2 + (int)severity * 1.5 + _random.NextDouble(), 1),
                Kev = _random.NextDouble() < 0.02,
                Epss = Math.Round(_random.NextDouble() * _random.NextDouble(), 4),
                FixAvailable = fixable,
                FixedVersion = fixable ? package.Version + "+fix" : null,
                FixPublishedAt = fixable ? now.AddDays(-_random.Next(1, 900)) : null,
            });
        }
        return new ImageAssessment
        {
            Registry = "registry.example.com",
            Repository = $"dev/app-{i % 40}",
            Tag = (i % 3) switch { 0 => $"1.{i % 7}.{i}", 1 => $"release-{i}", _ => "latest" },
            ManifestDigest = $"sha256:{i:x64}",
            PushedAt = now.AddDays(-(i % 45)),
            Feeds = [new FeedState("debian-bookworm", now.AddHours(-(i % 30))), new FeedState("osv-npm", now.AddHours(-6)), new FeedState("cisa-kev", now.AddHours(-2))],
            Packages = packages,
            Findings = findings,
        };
    }

    public static PromotionPolicy[] Policies(int count) => [.. Enumerable.Range(0, count).Select(Policy)];

    private static PromotionPolicy Policy(int i)
    {
        Criterion[] criteria = (i % 10) switch
        {
            0 => [new TagCriterion { Operator = TagOperator.Regex, Value = @"^\d+\.\d+\.\d+$" }, new VulnerabilityCountCriterion { Severity = SeverityBucket.Critical, Count = 0 }],
            1 => [new VulnerabilityCountCriterion { Severity = SeverityBucket.High, Operator = ComparisonOperator.LessOrEqual, Count = 2 + i % 4, OnlyFixable = true }, new KevCriterion()],
            2 => [new MaxCvssCriterion { Score = 8.0 + i % 3 * 0.5 }, new EpssCriterion { Threshold = 0.5 }],
            3 => [new FixAgeCriterion { MaxDays = 30 + i }, new VulnerabilityCountCriterion { Severity = SeverityBucket.All, Operator = ComparisonOperator.Less, Count = 50 }],
            4 => [new ComponentCriterion { Purl = "pkg:npm/lodash", VersionRange = "<4.17.21", Presence = ComponentPresence.Absent }],
            5 => [new LicenseCriterion { Operator = LicenseOperator.NotOneOf, Licenses = ["AGPL-3.0-only", "SSPL-1.0", "GPL-3.0-only"] }],
            6 => [new FeedFreshnessCriterion { MaxAgeHours = 24 }, new PushedWithinCriterion { Days = 30 }],
            7 => [new TagCriterion { Operator = TagOperator.StartsWith, Value = "release-" }, new ComponentCriterion { Purl = "pkg:deb/debian/openssl", VersionRange = ">=3.0.0, <3.1.0" }],
            8 => [new LicenseCriterion { Operator = LicenseOperator.OneOf, Licenses = ["MIT", "ISC", "Apache-2.0", "BSD-3-Clause", "Zlib", "LGPL-2.1-or-later", "GPL-2.0-or-later", "GPL-3.0-or-later", "curl"] }],
            _ => [new VulnerabilityCountCriterion { Severity = SeverityBucket.All, Operator = ComparisonOperator.LessOrEqual, Count = 3, EpssAtLeast = 0.1, FixOlderThanDays = 14 }, new TagCriterion { Operator = TagOperator.NotOneOf, Values = ["latest", "edge"] }],
        };
        return new PromotionPolicy
        {
            Id = new Guid(i, 0, 0, new byte[8]),
            Name = $"policy-{i}",
            SourceRepository = i % 2 == 0 ? "dev/*" : "dev/**",
            Order = i,
            Criteria = criteria,
            Action = new PromotionAction { TargetRepository = $"prod/target-{i}", TagTemplate = i % 2 == 0 ? "%n" : "%n-%Y%m%d%H%M" },
        };
    }

    public VulnerabilityException[] Exceptions(int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new VulnerabilityException
        {
            Id = new Guid(i, 1, 0, new byte[8]),
            Scope = (i % 3) switch { 0 => ExceptionScope.Global, 1 => ExceptionScope.Repository, _ => ExceptionScope.Image },
            Target = (i % 3) switch { 0 => null, 1 => "dev/app-1*", _ => $"sha256:{i:x64}" },
            VulnerabilityId = $"CVE-{2019 + i % 6}-{10000 + i * 997 % 40000}",
            Reason = "accepted", CreatedBy = "sec", ExpiresAt = i % 4 == 0 ? now.AddDays(-1) : now.AddDays(30),
        }),
    ];

    public VexStatement[] Vex(int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new VexStatement
        {
            VulnerabilityId = $"CVE-{2019 + i % 6}-{10000 + i * 1013 % 40000}",
            Products = [new VexProduct(i % 2 == 0 ? "pkg:deb/debian/openssl" : $"sha256:{i:x64}")],
            Status = i % 5 == 0 ? VexStatus.Affected : VexStatus.NotAffected,
            Justification = "vulnerable_code_not_in_execute_path",
            Timestamp = now.AddDays(-i),
        }),
    ];
}
