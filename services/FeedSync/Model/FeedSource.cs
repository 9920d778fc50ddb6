namespace SupplyChainMesh.FeedSync.Model;

/// <summary>The state of one configured feed source.</summary>
public sealed class FeedSource
{
    public required string Name { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
    public string? LastError { get; set; }
    public int RecordCount { get; set; }
    public int MalformedCount { get; set; }
    public DateTimeOffset? NewestRecordAt { get; set; }
    public string? Watermark { get; set; }
}
