using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Debian;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Matching;

/// <summary>
/// Matches installed packages against a <see cref="VulnerabilityIndex"/> ("match"). OS packages are looked up in their
/// distribution release's feed by SOURCE package (<c>libc6</c> → <c>glibc</c> in <c>Debian:12</c>), language packages
/// in their ecosystem by normalised name. Each affected entry's ranges are evaluated with the ecosystem's version scheme;
/// withdrawn advisories never match. The records that matched one package are merged into one finding per
/// vulnerability:
/// <list type="bullet">
/// <item>records sharing an id or alias (GHSA ↔ CVE ↔ GO ↔ PYSEC) are one vulnerability;</item>
/// <item>a distribution notice (DSA, DLA) is not a vulnerability of its own: it is attached as an alias to every matched
/// CVE it lists in <c>related</c>, and reported alone only when none of them matched (so a DSA is never counted twice,
/// and never lost).</item>
/// </list>
/// Severity: OS packages take their distribution's rating (Debian urgency), then NVD's CVSS; language packages take
/// GitHub's rating, then CVSS. Thread-safe.
/// </summary>
public sealed class Matcher
{
    private static readonly string[] NoticePrefixes = ["DSA-", "DLA-", "DTSA-"];

    private readonly VulnerabilityIndex _index;
    private readonly MatchOptions _options;

    public Matcher(VulnerabilityIndex index, MatchOptions? options = null)
    {
        _index = index;
        _options = options ?? MatchOptions.Default;
    }

    public List<Finding> Match(IEnumerable<Package> packages)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var findings = new List<Finding>();
        foreach (var package in packages) findings.AddRange(Match(package));
        return findings;
    }

    public IReadOnlyList<Finding> Match(Package package)
    {
        ArgumentNullException.ThrowIfNull(package);
        if (EcosystemKeys.OsvEcosystemOf(package) is not { } ecosystem) return [];
        var candidates = _index.Candidates(ecosystem, EcosystemKeys.FeedNameOf(package));
        if (candidates.IsEmpty) return [];

        var version = EcosystemKeys.VersionToMatch(package);
        List<Member>? matched = null;
        foreach (var entry in candidates)
        {
            if (entry.Advisory.IsWithdrawn) continue;
            if (entry.Matches(version, out var fixedVersion)) (matched ??= []).Add(new Member(entry, fixedVersion));
        }
        if (matched is null) return [];

        var findings = new List<Finding>(matched.Count);
        foreach (var group in GroupByVulnerability(matched))
        {
            if (ToFinding(package, ecosystem, version, group) is { } finding) findings.Add(finding);
        }
        return findings;
    }

    private readonly record struct Member(AffectedEntry Entry, string? FixedVersion)
    {
        public Advisory Advisory => Entry.Advisory;
    }

    private sealed class Group
    {
        public readonly HashSet<string> Ids = new(StringComparer.OrdinalIgnoreCase);
        public readonly List<Member> Members = [];
    }

    private List<Group> GroupByVulnerability(List<Member> matched)
    {
        var byId = new Dictionary<string, Group>(StringComparer.OrdinalIgnoreCase);
        var groups = new List<Group>();
        List<Member>? notices = null;
        foreach (var member in matched)
        {
            if (_options.MergeDistributionNotices && IsNotice(member.Advisory))
            {
                (notices ??= []).Add(member);
                continue;
            }
            Join(member, member.Advisory.AllIds(), byId, groups);
        }
        foreach (var notice in notices ?? [])
        {
            var targets = notice.Advisory.Related.Select(id => byId.GetValueOrDefault(id)).OfType<Group>().Distinct().ToList();
            if (targets.Count == 0)
            {
                Join(notice, notice.Advisory.AllIds(), byId, groups);
                continue;
            }
            foreach (var target in targets)
            {
                target.Members.Add(notice);
                target.Ids.Add(notice.Advisory.Id);
            }
        }
        return groups;
    }

    private static void Join(Member member, IEnumerable<string> ids, Dictionary<string, Group> byId, List<Group> groups)
    {
        Group? target = null;
        var memberIds = ids.ToList();
        foreach (var id in memberIds)
        {
            if (!byId.TryGetValue(id, out var found) || ReferenceEquals(found, target)) continue;
            if (target is null)
            {
                target = found;
                continue;
            }
            // Two groups turn out to be one vulnerability: fold `found` into `target`.
            target.Members.AddRange(found.Members);
            foreach (var moved in found.Ids)
            {
                target.Ids.Add(moved);
                byId[moved] = target;
            }
            groups.Remove(found);
        }
        if (target is null)
        {
            target = new Group();
            groups.Add(target);
        }
        target.Members.Add(member);
        foreach (var id in memberIds)
        {
            target.Ids.Add(id);
            byId[id] = target;
        }
    }

    private static bool IsNotice(Advisory advisory) =>
        advisory.Related.Count > 0 && NoticePrefixes.Any(p => advisory.Id.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    private Finding? ToFinding(Package package, string ecosystem, string version, Group group)
    {
        var primary = group.Ids.OrderBy(IdRank).ThenBy(id => id, StringComparer.Ordinal).First();
        var aliases = group.Ids.Where(id => !string.Equals(id, primary, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToArray();
        var cves = group.Ids.Where(id => id.StartsWith("CVE-", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToArray();

        // Severity from the owner of the ecosystem first.
        var severity = Severity.Unknown;
        string? severitySource = null;
        string? ecosystemSeverity = null;
        var isOperatingSystem = PurlType.IsOperatingSystem(package.Type);
        if (package.Type == PurlType.Deb)
        {
            var unimportant = false;
            foreach (var member in group.Members)
            {
                if (member.Entry.Affected.EcosystemSeverity is not { } urgency) continue;
                var rated = DebianSeverity.FromUrgency(urgency);
                if (ecosystemSeverity is null || rated > DebianSeverity.FromUrgency(ecosystemSeverity)) ecosystemSeverity = urgency;
                unimportant |= DebianSeverity.IsUnimportant(urgency);
            }
            severity = DebianSeverity.FromUrgency(ecosystemSeverity);
            if (severity != Severity.Unknown) severitySource = "debian";
            if (unimportant && severity == Severity.Negligible && _options.DebianUnimportant == UnimportantPolicy.Drop) return null;
        }
        else if (!isOperatingSystem)
        {
            foreach (var member in group.Members)
            {
                if (member.Advisory.DatabaseSeverity > severity)
                {
                    severity = member.Advisory.DatabaseSeverity;
                    severitySource = member.Advisory.Id.StartsWith("GHSA-", StringComparison.OrdinalIgnoreCase) ? "ghsa" : member.Advisory.Source;
                }
            }
        }

        var cvss = PickCvss(cves, group.Members, out var cvssFromNvd);
        if (severity == Severity.Unknown && cvss is { Score: not null })
        {
            severity = cvss.Rating;
            severitySource = cvssFromNvd ? "nvd" : cvss.Source;
        }

        // The fixed version that fixes every merged record: the highest of them.
        string? fixedVersion = null;
        foreach (var member in group.Members)
        {
            if (member.FixedVersion is not { } f) continue;
            var scheme = member.Entry.Scheme;
            if (fixedVersion is null || (scheme is not null && SafeCompare(scheme, f, fixedVersion) > 0))
            {
                fixedVersion = f;
            }
        }

        Kev.KevEntry? kev = null;
        foreach (var cve in cves)
        {
            if (_index.Kev.Find(cve) is { } k) { kev = k; break; }
        }
        Epss.EpssScore? epss = null;
        foreach (var cve in cves)
        {
            if (_index.Epss.Find(cve) is { } e) { epss = e; break; }
        }

        var summaryFrom = group.Members.Select(m => m.Advisory).FirstOrDefault(a => !string.IsNullOrWhiteSpace(a.Summary) && !IsNotice(a))
            ?? group.Members[0].Advisory;
        return new Finding
        {
            VulnerabilityId = primary,
            Aliases = aliases,
            Package = package,
            InstalledVersion = version,
            Ecosystem = ecosystem,
            Severity = severity,
            SeveritySource = severitySource,
            EcosystemSeverity = ecosystemSeverity,
            Cvss = cvss,
            FixState = fixedVersion is null ? FixState.NotFixed : FixState.Fixed,
            FixedVersion = fixedVersion,
            KnownExploited = kev is not null,
            KevDateAdded = kev?.DateAdded,
            KevDueDate = kev?.DueDate,
            Epss = epss?.Probability,
            EpssPercentile = epss?.Percentile,
            Summary = summaryFrom.Summary ?? VulnerabilityIndexBuilder.FirstLine(summaryFrom.Details),
            Published = group.Members.Select(m => m.Advisory.Published).Where(p => p is not null).Min(),
            Sources = group.Members.Select(m => m.Advisory.Source).Distinct(StringComparer.Ordinal).ToArray(),
        };
    }

    // CVE ids first (what KEV, EPSS and NVD are keyed by), then GitHub's, then the rest.
    private static int IdRank(string id) =>
        id.StartsWith("CVE-", StringComparison.OrdinalIgnoreCase) ? 0
        : id.StartsWith("GHSA-", StringComparison.OrdinalIgnoreCase) ? 1
        : 2;

    /// <summary>NVD's own v3.x rating when NVD has one, then a CNA's v3.x republished by NVD, then the advisories' v3.x, then v4.0 and v2.</summary>
    private SeverityScore? PickCvss(string[] cves, List<Member> members, out bool fromNvd)
    {
        SeverityScore? best = null;
        var bestRank = int.MaxValue;
        fromNvd = false;
        foreach (var cve in cves)
        {
            if (_index.Rating(cve) is not { IsWithdrawn: false } nvd) continue;
            foreach (var score in nvd.Severities)
            {
                var rank = CvssRank(score, nvd: true);
                if (rank < bestRank) { best = score; bestRank = rank; fromNvd = true; }
            }
        }
        foreach (var member in members)
        {
            foreach (var score in member.Advisory.Severities)
            {
                var rank = CvssRank(score, nvd: false);
                if (rank < bestRank) { best = score; bestRank = rank; fromNvd = false; }
            }
        }
        return best;
    }

    // Lower is better. NVD's own analysis (source nvd@nist.gov) outranks the CNA scores NVD republishes, whether NVD
    // marks it Primary or Secondary (CVE-2021-26701: NVD 9.8 "Secondary" beside Microsoft's 8.1).
    private static int CvssRank(SeverityScore score, bool nvd)
    {
        var v3 = score.Kind is CvssKind.V31 or CvssKind.V30;
        var byNvd = nvd && string.Equals(score.Source, "nvd@nist.gov", StringComparison.OrdinalIgnoreCase);
        int rank;
        if (v3) rank = byNvd ? (score.Primary ? 0 : 2) : nvd ? (score.Primary ? 4 : 6) : 8;
        else if (score.Kind == CvssKind.V40) rank = nvd ? 10 : 12;
        else rank = 14;
        if (score.Kind == CvssKind.V30) rank++;
        return score.Score is null ? rank + 20 : rank;
    }

    private static int SafeCompare(Versions.IVersionScheme scheme, string left, string right)
    {
        try
        {
            return scheme.Compare(left, right);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return 0;
        }
    }
}
