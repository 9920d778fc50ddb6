using SupplyChainMesh.Analysis.Python;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Tests.Versions;

public class ParsedVersionCacheTests
{
    [Fact]
    public void Returns_the_parsed_value_and_parses_each_string_once()
    {
        var parses = 0;
        var cache = new ParsedVersionCache<Pep440Version>(v => { Interlocked.Increment(ref parses); return Pep440Version.Parse(v); });
        var first = cache.Get("1.0rc1");
        Assert.Same(first, cache.Get("1.0rc1"));
        Assert.Equal("1.0rc1", first.Normalized);
        Assert.Equal(1, parses);
    }

    [Fact]
    public void Stays_bounded_and_correct_when_full()
    {
        var cache = new ParsedVersionCache<Pep440Version>(Pep440Version.Parse, capacity: 2);
        var versions = Enumerable.Range(0, 50).Select(i => $"1.{i}").ToArray();
        Parallel.ForEach(versions, v => Assert.Equal(Pep440Version.Parse(v), cache.Get(v)));
        Assert.All(versions, v => Assert.Equal(v, cache.Get(v).Normalized));
    }

    [Fact]
    public void Bad_input_fails_every_time_with_a_typed_error()
    {
        var cache = new ParsedVersionCache<Pep440Version>(Pep440Version.Parse);
        Assert.Throws<VersionFormatException>(() => cache.Get("french toast"));
        Assert.Throws<VersionFormatException>(() => cache.Get("french toast"));
    }
}
