using System.Globalization;
using nietras.SeparatedValues;
using SupplyChainMesh.Analysis.Advisories;

namespace SupplyChainMesh.Analysis.Epss;

/// <summary>FIRST's Exploit Prediction Scoring System score of one CVE: probability of exploitation in the next 30 days.</summary>
public sealed record EpssScore(string CveId, double Probability, double Percentile, DateOnly? Date);

/// <summary>
/// FIRST EPSS scores from its CSV (<c>epss_scores-YYYY-MM-DD.csv.gz</c>, decompressed): an optional first comment line
/// <c>#model_version:…,score_date:…</c>, then <c>cve,epss,percentile</c> (and <c>date</c> in per-CVE extracts).
/// Rows that do not parse are reported and skipped.
/// </summary>
public sealed class EpssScores
{
    private readonly Dictionary<string, EpssScore> _scores;

    private EpssScores(Dictionary<string, EpssScore> scores, DateOnly? scoreDate, string? modelVersion)
    {
        _scores = scores;
        ScoreDate = scoreDate;
        ModelVersion = modelVersion;
    }

    public static EpssScores Empty { get; } = new(new Dictionary<string, EpssScore>(StringComparer.OrdinalIgnoreCase), null, null);

    public int Count => _scores.Count;

    /// <summary>From the comment line of the full daily file, when present.</summary>
    public DateOnly? ScoreDate { get; }

    public string? ModelVersion { get; }

    public IEnumerable<EpssScore> Entries => _scores.Values;

    public EpssScore? Find(string cveId) => _scores.GetValueOrDefault(cveId);

    public static EpssScores Parse(Stream content, IFeedProblemSink problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        using var text = new StreamReader(content, leaveOpen: true);
        DateOnly? scoreDate = null;
        string? modelVersion = null;
        while (text.Peek() == '#')
        {
            var comment = text.ReadLine()!.TrimStart('#');
            foreach (var pair in comment.Split(',', StringSplitOptions.TrimEntries))
            {
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0) continue;
                var value = pair[(colon + 1)..];
                if (pair.StartsWith("model_version", StringComparison.Ordinal)) modelVersion = value;
                else if (pair.StartsWith("score_date", StringComparison.Ordinal) && value.Length >= 10
                    && DateOnly.TryParseExact(value[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) scoreDate = d;
            }
        }
        var scores = new Dictionary<string, EpssScore>(StringComparer.OrdinalIgnoreCase);
        using var reader = Sep.Reader(o => o with { DisableColCountCheck = true, Unescape = true }).From(text);
        if (!reader.Header.TryIndexOf("cve", out var cveColumn) || !reader.Header.TryIndexOf("epss", out var epssColumn) || !reader.Header.TryIndexOf("percentile", out var percentileColumn))
        {
            problems.Problem(new FeedProblem(null, "epss", "CSV header must name cve, epss and percentile"));
            return new EpssScores(scores, scoreDate, modelVersion);
        }
        var dateColumn = reader.Header.TryIndexOf("date", out var dc) ? dc : -1;
        var needed = Math.Max(cveColumn, Math.Max(epssColumn, percentileColumn)) + 1;
        foreach (var row in reader)
        {
            var location = $"epss:{row.LineNumberFrom}";
            if (row.ColCount < needed)
            {
                problems.Problem(new FeedProblem(null, location, $"row has {row.ColCount} columns, {needed} expected"));
                continue;
            }
            var cve = row[cveColumn].ToString();
            var probability = row[epssColumn].TryParse<double>();
            var percentile = row[percentileColumn].TryParse<double>();
            if (!cve.StartsWith("CVE-", StringComparison.OrdinalIgnoreCase) || probability is not (>= 0 and <= 1) || percentile is not (>= 0 and <= 1))
            {
                problems.Problem(new FeedProblem(cve.Length > 0 ? cve : null, location, "not a CVE id with epss and percentile between 0 and 1"));
                continue;
            }
            DateOnly? date = scoreDate;
            if (dateColumn >= 0 && dateColumn < row.ColCount
                && DateOnly.TryParseExact(row[dateColumn].Span, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var rowDate)) date = rowDate;
            scores[cve] = new EpssScore(cve, probability.Value, percentile.Value, date);
        }
        return new EpssScores(scores, scoreDate, modelVersion);
    }
}
