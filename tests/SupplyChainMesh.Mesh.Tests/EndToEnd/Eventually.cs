namespace SupplyChainMesh.Mesh.Tests.EndToEnd;

/// <summary>Polls a condition of an asynchronous system until it holds, or fails with what was being waited for.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string what, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + within;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition()) return;
                last = null;
            }
            catch (HttpRequestException ex) { last = ex; }
            catch (TaskCanceledException ex) { last = ex; }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Not within {within}: {what}.{(last is null ? "" : $" Last error: {last.Message}")}\n{diagnostics?.Invoke()}");
    }
}
