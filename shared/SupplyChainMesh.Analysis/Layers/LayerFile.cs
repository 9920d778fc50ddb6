namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// A regular file met while streaming a layer's tar. <see cref="Path"/> is normalised: relative to the image root,
/// '/'-separated, no leading '/' or './', no '..' segments (entries that would escape the root are rejected earlier).
/// </summary>
public readonly record struct LayerFile(string Path, long Length, int Mode)
{
    /// <summary>The last path segment.</summary>
    public ReadOnlySpan<char> FileName
    {
        get
        {
            var slash = Path.LastIndexOf('/');
            return slash < 0 ? Path.AsSpan() : Path.AsSpan(slash + 1);
        }
    }

    /// <summary>True when any execute bit is set (Go and Rust binaries are only looked for in these).</summary>
    public bool IsExecutable => (Mode & 0b001_001_001) != 0;
}
