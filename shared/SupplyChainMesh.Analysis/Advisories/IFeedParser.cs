namespace SupplyChainMesh.Analysis.Advisories;

/// <summary>
/// Parses one feed's file format into <see cref="Advisory"/> records ("parse a feed"). Streams: records are yielded as
/// they are read. A malformed record is skipped and reported to <paramref name="problems"/> with its id (when it has one)
/// and the reason; the rest of the feed goes on. Only an unreadable stream (I/O) ends the enumeration with an exception.
/// </summary>
public interface IFeedParser
{
    /// <summary>A stable name stored as <see cref="Advisory.Source"/> (<c>osv</c>, <c>alpine-secdb</c>, ...).</summary>
    string Name { get; }

    IAsyncEnumerable<Advisory> ParseAsync(Stream content, IFeedProblemSink problems, CancellationToken cancellationToken = default);
}

/// <summary>Where parsers report records they skipped.</summary>
public interface IFeedProblemSink
{
    void Problem(FeedProblem problem);
}

/// <summary>A skipped record: its id when one could be read, where it was (file, line) and why it was skipped.</summary>
public sealed record FeedProblem(string? RecordId, string Location, string Reason)
{
    public override string ToString() => $"{Location}: {RecordId ?? "(no id)"}: {Reason}";
}

/// <summary>Collects problems in memory (thread-safe), for tests and one-shot imports.</summary>
public sealed class FeedProblemList : IFeedProblemSink
{
    private readonly List<FeedProblem> _problems = [];

    public IReadOnlyList<FeedProblem> Problems
    {
        get { lock (_problems) return [.. _problems]; }
    }

    public int Count
    {
        get { lock (_problems) return _problems.Count; }
    }

    public void Problem(FeedProblem problem)
    {
        lock (_problems) _problems.Add(problem);
    }
}
