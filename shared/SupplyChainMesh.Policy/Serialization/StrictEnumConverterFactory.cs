using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChainMesh.Policy.Serialization;

/// <summary>
/// Enums as strings, by their <see cref="JsonStringEnumMemberNameAttribute"/> name or else camelCase, and nothing
/// else: numbers and unknown names are rejected with a message listing what is accepted
/// (<c>'extreme' is not a valid severity: use one of critical, high, medium, low, all</c>).
/// </summary>
public sealed class StrictEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(StrictEnumConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class StrictEnumConverter<T> : JsonConverter<T> where T : struct, Enum
    {
        private readonly Dictionary<string, T> _byName = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<T, string> _names = [];

        public StrictEnumConverter()
        {
            foreach (var field in typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var value = (T)field.GetValue(null)!;
                var name = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(field.Name);
                _byName[name] = value;
                _names[value] = name;
            }
        }

        private static string Friendly => string.Concat(typeof(T).Name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
                throw new JsonException($"A {Friendly} is a string: use one of {string.Join(", ", _names.Values)}.");
            var text = reader.GetString()!;
            return _byName.TryGetValue(text, out var value)
                ? value
                : throw new JsonException($"'{text}' is not a valid {Friendly}: use one of {string.Join(", ", _names.Values)}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(_names.TryGetValue(value, out var name) ? name : value.ToString());
    }
}
