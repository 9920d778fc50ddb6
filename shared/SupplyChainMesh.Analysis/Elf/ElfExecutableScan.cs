using SupplyChainMesh.Analysis.Go;

namespace SupplyChainMesh.Analysis.Elf;

/// <summary>What one <see cref="ElfExecutablePass"/> found in an executable. Dispose to return the kept bytes.</summary>
internal sealed class ElfExecutableScan(bool isElf, GoBuildInfoReader.Result? goBuildInfo, ElfImage? image) : IDisposable
{
    public bool IsElf { get; } = isElf;

    /// <summary>The Go build info outcome, when <see cref="ElfPassNeeds.GoBuildInfo"/> was asked for.</summary>
    public GoBuildInfoReader.Result? GoBuildInfo { get; } = goBuildInfo;

    /// <summary>The kept header, unloaded sections and section header table, when <see cref="ElfPassNeeds.UnloadedSections"/> was asked for.</summary>
    public ElfImage? Image { get; } = image;

    public void Dispose() => Image?.Dispose();
}
