using System.Text;
using SupplyChainMesh.Analysis.Advisories;

namespace SupplyChainMesh.Analysis.Tests.Advisories;

/// <summary>The few real feed records copied into TestData/feeds, and helpers to parse them.</summary>
internal static class FeedTestData
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "TestData", "feeds", file);

    public static Stream Open(string file) => File.OpenRead(PathOf(file));

    public static Stream FromText(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    public static async Task<List<Advisory>> ParseAsync(IFeedParser parser, Stream content, IFeedProblemSink? problems = null)
    {
        var list = new List<Advisory>();
        await using (content)
        {
            await foreach (var advisory in parser.ParseAsync(content, problems ?? new FeedProblemList())) list.Add(advisory);
        }
        return list;
    }

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items) list.Add(item);
        return list;
    }
}
