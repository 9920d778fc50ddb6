using System.Text.Json;

namespace SupplyChainMesh.Analysis.Npm;

/// <summary>The identity fields of a package.json, read with <see cref="Utf8JsonReader"/> without building a DOM.</summary>
internal readonly record struct PackageJson(string? Name, string? Version, IReadOnlyList<string> Licenses)
{
    public static bool TryRead(ReadOnlySpan<byte> json, out PackageJson manifest, out string error)
    {
        manifest = default;
        if (json.StartsWith("\uFEFF"u8)) json = json[3..];
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        string? name = null, version = null;
        List<string>? licenses = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "package.json is not a JSON object";
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    reader.Read();
                    name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("version"u8))
                {
                    reader.Read();
                    version = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("license"u8) || reader.ValueTextEquals("licenses"u8))
                {
                    reader.Read();
                    ReadLicenses(ref reader, ref licenses);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject)
            {
                error = "package.json ends before its top-level object closes";
                return false;
            }
        }
        catch (JsonException ex)
        {
            error = $"malformed package.json: {ex.Message}";
            return false;
        }
        manifest = new PackageJson(name?.Trim(), version?.Trim(), licenses is null ? [] : licenses);
        error = "";
        return true;
    }

    // "license": "MIT" | {"type": "MIT"}; legacy "licenses": [{"type": "MIT", "url": ...}] | ["MIT"].
    private static void ReadLicenses(ref Utf8JsonReader reader, ref List<string>? licenses)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                Add(reader.GetString(), ref licenses);
                break;
            case JsonTokenType.StartObject:
                var depth = reader.CurrentDepth;
                while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
                {
                    if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals("type"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.String) Add(reader.GetString(), ref licenses);
                        else reader.Skip();
                    }
                    else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        reader.Skip();
                    }
                }
                break;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    ReadLicenses(ref reader, ref licenses);
                break;
            default:
                reader.Skip();
                break;
        }
    }

    private static void Add(string? license, ref List<string>? licenses)
    {
        if (string.IsNullOrWhiteSpace(license)) return;
        licenses ??= new List<string>(1);
        licenses.Add(license.Trim());
    }
}
