using System.Runtime.ExceptionServices;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// Fills buffers from a stream on a thread of its own, one at a time, so that reading the blob (inflating it, or
/// hashing it to verify its digest) runs while the tar walk and the detectors work on the previous buffer: a layer's
/// wall time becomes the longer of the two instead of their sum. The caller owns the buffers and hands them over with
/// <see cref="Fill"/>, then takes each back with <see cref="Take"/>.
/// <para>
/// <see cref="Dispose"/> waits for a read in progress to end before it returns, so the source (a native inflater) is
/// never disposed under the thread; a read hung on a dead connection ends when the layer read is cancelled, which
/// disposes the blob.
/// </para>
/// </summary>
internal sealed class BufferPrefetcher : IDisposable
{
    private readonly Stream _source;
    private readonly SemaphoreSlim _filled = new(0, 1);
    private readonly SemaphoreSlim _free = new(0, 1);
    private readonly Thread _thread;
    private byte[]? _target;
    private int _length;
    private bool _ended;
    private ExceptionDispatchInfo? _error;
    private volatile bool _stopping;
    private bool _sourceDone;

    public BufferPrefetcher(Stream source)
    {
        _source = source;
        _thread = new Thread(Produce) { IsBackground = true, Name = "layer read-ahead" };
        _thread.Start();
    }

    /// <summary>Starts filling <paramref name="buffer"/> (to its end, or the end of the source) on the prefetch thread.</summary>
    public void Fill(byte[] buffer)
    {
        if (_sourceDone) return;
        _target = buffer;
        _free.Release();
    }

    /// <summary>
    /// Waits for the buffer given to <see cref="Fill"/> and returns how much it holds; <paramref name="ended"/> once the
    /// source has no more. The source's error is thrown after the bytes read before it were taken.
    /// </summary>
    public int Take(out bool ended)
    {
        if (_sourceDone)
        {
            _error?.Throw();
            ended = true;
            return 0;
        }
        _filled.Wait();
        _sourceDone = _ended || _error is not null;
        if (_error is not null && _length == 0) _error.Throw();
        ended = _ended;
        return _length;
    }

    private void Produce()
    {
        while (true)
        {
            _free.Wait();
            if (_stopping) return;
            var target = _target!;
            var length = 0;
            try
            {
                while (length < target.Length)
                {
                    var n = _source.Read(target.AsSpan(length));
                    if (n == 0)
                    {
                        _ended = true;
                        break;
                    }
                    length += n;
                }
            }
            catch (Exception e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
            }
            _length = length;
            var last = _ended || _error is not null;
            _filled.Release();
            if (last) return;
        }
    }

    public void Dispose()
    {
        _stopping = true;
        // Wakes the thread if it waits for a buffer; harmless if it already ended.
        if (_free.CurrentCount == 0) _free.Release();
        _thread.Join();
        _filled.Dispose();
        _free.Dispose();
    }
}
