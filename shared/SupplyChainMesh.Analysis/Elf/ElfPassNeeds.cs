namespace SupplyChainMesh.Analysis.Elf;

/// <summary>What the detectors that want an executable need from the one pass over it.</summary>
[Flags]
internal enum ElfPassNeeds
{
    None = 0,

    /// <summary>The Go build info blob (<see cref="Go.GoBuildInfoReader"/>), found by a forward scan of the data segment.</summary>
    GoBuildInfo = 1,

    /// <summary>The section header table and the sections outside the loaded segments (<c>.dep-v0</c>, <c>.shstrtab</c>).</summary>
    UnloadedSections = 2,
}
