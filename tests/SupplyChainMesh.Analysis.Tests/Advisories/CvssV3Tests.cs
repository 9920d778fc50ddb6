using System.Text.Json;
using SupplyChainMesh.Analysis.Advisories;

namespace SupplyChainMesh.Analysis.Tests.Advisories;

public class CvssV3Tests
{
    // Every v3.x metric in the real NVD subset: NVD's published base score must equal ours for the same vector.
    public static TheoryData<string, double> NvdVectors()
    {
        var data = new TheoryData<string, double>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(FeedTestData.PathOf("nvd-cve-api2-subset.json")));
        foreach (var v in doc.RootElement.GetProperty("vulnerabilities").EnumerateArray())
        {
            if (!v.GetProperty("cve").TryGetProperty("metrics", out var metrics)) continue;
            foreach (var kind in new[] { "cvssMetricV31", "cvssMetricV30" })
            {
                if (!metrics.TryGetProperty(kind, out var list)) continue;
                foreach (var m in list.EnumerateArray())
                {
                    var cvss = m.GetProperty("cvssData");
                    var vector = cvss.GetProperty("vectorString").GetString()!;
                    if (seen.Add(vector)) data.Add(vector, cvss.GetProperty("baseScore").GetDouble());
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(NvdVectors))]
    public void Base_score_matches_NVD(string vector, double expected) =>
        Assert.Equal(expected, CvssV3.BaseScore(vector));

    [Fact]
    public void Real_data_covers_both_scopes_and_versions()
    {
        var vectors = NvdVectors().Select(row => (string)row[0]).ToList();
        Assert.Contains(vectors, v => v.Contains("/S:C/", StringComparison.Ordinal));
        Assert.Contains(vectors, v => v.Contains("/S:U/", StringComparison.Ordinal));
        Assert.Contains(vectors, v => v.StartsWith("CVSS:3.0/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0)]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0)]
    public void Edge_scores(string vector, double expected) => Assert.Equal(expected, CvssV3.BaseScore(vector));

    [Theory]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H")] // no scope
    [InlineData("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")] // bad value
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")]
    [InlineData("AV:N/AC:L/Au:N/C:P/I:P/A:P")]
    [InlineData("garbage")]
    public void Incomplete_or_other_vectors_have_no_v3_score(string vector) => Assert.Null(CvssV3.BaseScore(vector));
}
