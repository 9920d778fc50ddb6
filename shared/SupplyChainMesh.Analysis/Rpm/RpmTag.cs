namespace SupplyChainMesh.Analysis.Rpm;

/// <summary>The header tags we read (rpm's <c>rpmtag.h</c>) and the index entry types (<c>rpmTagType</c>).</summary>
internal static class RpmTag
{
    // Region tags: the first index entry of an immutable header points at a 16-byte trailer entry.
    public const int HeaderImage = 61;
    public const int HeaderSignatures = 62;
    public const int HeaderImmutable = 63;

    public const int Name = 1000;
    public const int Version = 1001;
    public const int Release = 1002;
    public const int Epoch = 1003;
    public const int License = 1014;
    public const int Arch = 1022;
    public const int OldFileNames = 1027;
    public const int SourceRpm = 1044;
    public const int DirIndexes = 1116;
    public const int BaseNames = 1117;
    public const int DirNames = 1118;

    public const uint TypeInt32 = 4;
    public const uint TypeString = 6;
    public const uint TypeBinary = 7;
    public const uint TypeStringArray = 8;
    public const uint TypeI18nString = 9;
    public const uint TypeMax = 9;
}
