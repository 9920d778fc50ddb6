using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace SupplyChainMesh.Cli.Commands;

/// <summary>
/// Renders an API answer for people without knowing its exact shape: an array of objects is a table (the preferred
/// columns that are present, else every scalar field of the first row), an object is a field/value table, and arrays
/// of scalars are joined. The services own their shapes; this keeps the CLI readable while they evolve.
/// </summary>
internal static class JsonTable
{
    private const int MaxCell = 80;

    // Without the reflection-based serializer: scm is published native AOT, where that one is not available.
    public static JsonElement ToElement(JsonNode node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    public static JsonElement ToArray(IEnumerable<JsonElement> elements)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var element in elements) element.WriteTo(writer);
            writer.WriteEndArray();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    public static async Task WriteAsync(TextWriter output, JsonElement answer, IReadOnlyList<string> columns)
    {
        var console = PlainConsole.Create(output);
        Write(console, answer, columns);
        await output.FlushAsync().ConfigureAwait(false);
    }

    public static void Write(IAnsiConsole console, JsonElement answer, IReadOnlyList<string> columns, string? title = null)
    {
        var rows = Rows(answer);
        if (rows is null)
        {
            if (answer.ValueKind == JsonValueKind.Object) WriteObject(console, answer, title);
            else if (answer.ValueKind != JsonValueKind.Undefined) console.WriteLine(Cell(answer));
            return;
        }
        if (rows.Count == 0)
        {
            console.WriteLine(title is null ? "(none)" : $"{title}: (none)");
            return;
        }
        var chosen = columns.Where(c => rows.Any(r => TryGet(r, c, out _))).ToList();
        if (chosen.Count == 0 && rows[0].ValueKind == JsonValueKind.Object)
            chosen = [.. rows[0].EnumerateObject().Where(p => p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)).Select(p => p.Name)];
        // A heading line, not a table title: Spectre wraps titles to the table's width, which splits digests.
        if (title is not null) console.WriteLine(title);
        var table = new Table();
        if (chosen.Count == 0)
        {
            table.AddColumn("value");
            foreach (var row in rows) table.AddRow(Markup.Escape(Cell(row)));
        }
        else
        {
            foreach (var column in chosen) table.AddColumn(Markup.Escape(column));
            foreach (var row in rows)
                table.AddRow([.. chosen.Select(c => Markup.Escape(TryGet(row, c, out var value) ? Cell(value) : ""))]);
        }
        console.Write(table);
    }

    /// <summary>The rows of an answer: an array, or the one array an envelope object wraps (<c>items</c>, <c>data</c>...).</summary>
    public static List<JsonElement>? Rows(JsonElement answer)
    {
        if (answer.ValueKind == JsonValueKind.Array) return [.. answer.EnumerateArray()];
        if (answer.ValueKind != JsonValueKind.Object) return null;
        var arrays = answer.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array).ToList();
        var scalars = answer.EnumerateObject().Count(p => p.Value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object));
        return arrays.Count == 1 && scalars <= 2 && arrays[0].Name is "items" or "data" or "results" or "value" ? [.. arrays[0].Value.EnumerateArray()] : null;
    }

    /// <summary>A field by name, case-insensitively, or a dotted path (<c>package.name</c>).</summary>
    public static bool TryGet(JsonElement element, string path, out JsonElement value)
    {
        value = element;
        foreach (var part in path.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object) return false;
            var found = false;
            foreach (var property in value.EnumerateObject())
            {
                if (!property.Name.Equals(part, StringComparison.OrdinalIgnoreCase)) continue;
                value = property.Value;
                found = true;
                break;
            }
            if (!found) return false;
        }
        return value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
    }

    public static string? Text(JsonElement element, params string[] names)
    {
        foreach (var name in names)
        {
            if (TryGet(element, name, out var value)) return value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        }
        return null;
    }

    public static string Cell(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.True => "yes",
            JsonValueKind.False => "no",
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) =>
                string.Join(", ", value.EnumerateArray().Select(Cell)),
            _ => value.GetRawText(),
        };
        return text.Length > MaxCell ? text[..(MaxCell - 3)] + "..." : text;
    }

    private static void WriteObject(IAnsiConsole console, JsonElement answer, string? title)
    {
        if (title is not null) console.WriteLine(title);
        var table = new Table().AddColumns("Field", "Value");
        foreach (var property in answer.EnumerateObject()) table.AddRow(Markup.Escape(property.Name), Markup.Escape(Cell(property.Value)));
        console.Write(table);
    }
}
