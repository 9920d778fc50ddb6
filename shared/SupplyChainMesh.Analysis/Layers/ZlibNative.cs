using System.Runtime.InteropServices;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// The inflate entry points of the zlib(-ng) that ships inside the .NET runtime (libSystem.IO.Compression.Native), the
/// same ones <see cref="System.IO.Compression.GZipStream"/> calls. Called directly because GZipStream's read path feeds
/// the inflater 8 KiB of input at a time, and the per-call set-up of inflate on such small inputs costs 15-20 % of the
/// inflate itself on a layer (measured: 8 KiB input 250-260 ms, 128 KiB input 206-215 ms on the 51 MB base layer).
/// </summary>
internal static unsafe partial class ZlibNative
{
    private const string Library = "libSystem.IO.Compression.Native";

    /// <summary>zlib's window bits for a gzip wrapper with the largest (32 KiB) window.</summary>
    public const int GzipWindowBits = 16 + 15;

    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int NeedDictionary = 2;
    public const int BufferError = -5;
    public const int NoFlush = 0;

    private static readonly Lazy<bool> Loadable = new(Probe);

    /// <summary>
    /// The runtime's own PAL_ZStream: the native side copies these fields into and out of its z_stream on every call,
    /// so the struct itself may move between calls (the input buffer may not: zlib keeps a pointer into it).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ZStream
    {
        public byte* NextIn;
        public byte* NextOut;
        public IntPtr Message;
        public IntPtr State;
        public uint AvailIn;
        public uint AvailOut;
    }

    /// <summary>False when the runtime's native compression library or its inflate exports cannot be bound (an unusual
    /// host); callers then fall back to <see cref="System.IO.Compression.GZipStream"/>.</summary>
    public static bool IsAvailable => Loadable.Value;

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateInit2_")]
    public static partial int InflateInit2(ZStream* stream, int windowBits);

    [LibraryImport(Library, EntryPoint = "CompressionNative_Inflate")]
    public static partial int Inflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateReset2_")]
    public static partial int InflateReset2(ZStream* stream, int windowBits);

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateEnd")]
    public static partial int InflateEnd(ZStream* stream);

    /// <summary>zlib's message for the last error, if it set one.</summary>
    public static string? MessageOf(in ZStream stream) =>
        stream.Message == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(stream.Message);

    private static bool Probe()
    {
        try
        {
            var stream = default(ZStream);
            if (InflateInit2(&stream, GzipWindowBits) != Ok) return false;
            return InflateEnd(&stream) == Ok;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }
}
