using System.Runtime.InteropServices;

namespace SupplyChainMesh.Analysis.Maven;

/// <summary>A seekable read-only stream over memory (ZipArchive needs to seek), without copying it.</summary>
internal sealed class ReadOnlyMemoryStream : MemoryStream
{
    public ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory)
        : base(Segment(memory).Array!, Segment(memory).Offset, Segment(memory).Count, writable: false)
    {
    }

    private static ArraySegment<byte> Segment(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) ? segment : new ArraySegment<byte>(memory.ToArray());
}
