using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace SupplyChainMesh.Analysis.Advisories;

/// <summary>
/// Splits a UTF-8 stream into lines without copying or decoding them, and hands each line to a parser. Each read chunk
/// is parsed synchronously (spans cannot cross an await) and its results are yielded before the next read, so memory
/// stays bounded by one chunk and its records.
/// </summary>
internal static class JsonLines
{
    /// <summary>Parses one line; <paramref name="lineNumber"/> is 1-based. Adds what it finds to <paramref name="output"/>.</summary>
    public delegate void LineParser<T>(in ReadOnlySequence<byte> line, long lineNumber, List<T> output);

    public static async IAsyncEnumerable<T> ReadAsync<T>(Stream content, LineParser<T> parse, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(content, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var lineNumber = 0L;
        var batch = new List<T>();
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                lineNumber = ParseCompleteLines(ref buffer, result.IsCompleted, lineNumber, parse, batch);
                reader.AdvanceTo(buffer.Start, buffer.End);
                foreach (var item in batch) yield return item;
                batch.Clear();
                if (result.IsCompleted) break;
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static long ParseCompleteLines<T>(ref ReadOnlySequence<byte> buffer, bool isFinal, long lineNumber, LineParser<T> parse, List<T> output)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            lineNumber++;
            ParseOne(line, lineNumber, parse, output);
        }
        if (isFinal && !reader.End)
        {
            // The last line has no '\n'.
            lineNumber++;
            ParseOne(reader.UnreadSequence, lineNumber, parse, output);
            reader.AdvanceToEnd();
        }
        buffer = buffer.Slice(reader.Position);
        return lineNumber;
    }

    private static void ParseOne<T>(ReadOnlySequence<byte> line, long lineNumber, LineParser<T> parse, List<T> output)
    {
        if (IsBlank(line)) return;
        parse(line, lineNumber, output);
    }

    private static bool IsBlank(in ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r')) return false;
            }
        }
        return true;
    }

    /// <summary>Best-effort id of a malformed record, for the problem report: the value after the first <c>"id":"</c>.</summary>
    public static string? SniffId(in ReadOnlySequence<byte> line, string property = "id")
    {
        var text = System.Text.Encoding.UTF8.GetString((line.Length > 4096 ? line.Slice(0, 4096) : line).ToArray());
        var key = $"\"{property}\"";
        var at = text.IndexOf(key, StringComparison.Ordinal);
        if (at < 0) return null;
        var open = text.IndexOf('"', at + key.Length);
        if (open < 0) return null;
        var close = text.IndexOf('"', open + 1);
        return close > open ? text[(open + 1)..close] : null;
    }
}
