using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Epss;
using SupplyChainMesh.Analysis.Tests.Advisories;

namespace SupplyChainMesh.Analysis.Tests.Epss;

public class EpssScoresTests
{
    [Fact]
    public void Subset_csv()
    {
        var problems = new FeedProblemList();
        using var stream = FeedTestData.Open("epss-subset.csv");
        var scores = EpssScores.Parse(stream, problems);
        Assert.Empty(problems.Problems);
        Assert.Equal(12, scores.Count);
        var glibc = scores.Find("CVE-2023-4911");
        Assert.Equal(new EpssScore("CVE-2023-4911", 0.01877, 0.88151, new DateOnly(2024, 3, 24)), glibc);
        Assert.Null(scores.Find("CVE-2024-3094"));
    }

    [Fact]
    public void Daily_file_with_model_comment_and_bad_rows()
    {
        const string csv = "#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000\ncve,epss,percentile\nCVE-2021-44228,0.94358,0.99958\nCVE-2000-0001,abc,0.5\nnot-a-cve,0.1,0.1\nCVE-2023-4911,0.7\n";
        var problems = new FeedProblemList();
        var scores = EpssScores.Parse(FeedTestData.FromText(csv), problems);
        Assert.Equal("v2025.03.14", scores.ModelVersion);
        Assert.Equal(new DateOnly(2025, 8, 25), scores.ScoreDate);
        Assert.Equal(new EpssScore("CVE-2021-44228", 0.94358, 0.99958, new DateOnly(2025, 8, 25)), scores.Find("CVE-2021-44228"));
        Assert.Equal(1, scores.Count);
        Assert.Equal(3, problems.Count);
    }
}
