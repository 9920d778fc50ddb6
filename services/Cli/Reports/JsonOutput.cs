using System.Text.Encodings.Web;
using System.Text.Json;

namespace SupplyChainMesh.Cli.Reports;

/// <summary>Writes one indented JSON document to a <see cref="TextWriter"/> through a <see cref="Utf8JsonWriter"/>.</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer, Options))
        {
            write(json);
        }
        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
    }

    public static void WriteStringIfNotNull(this Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null) json.WriteString(name, value);
    }
}
