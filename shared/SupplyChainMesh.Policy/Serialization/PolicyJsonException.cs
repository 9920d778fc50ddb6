using System.Text.Json;

namespace SupplyChainMesh.Policy.Serialization;

/// <summary>Malformed policy JSON: which field (camelCase path, empty for the document) and what is wrong with it.</summary>
public sealed class PolicyJsonException : JsonException
{
    public PolicyJsonException()
    {
        Field = "";
    }

    public PolicyJsonException(string message) : base(message)
    {
        Field = "";
    }

    public PolicyJsonException(string message, Exception innerException) : base(message, innerException)
    {
        Field = "";
    }

    public PolicyJsonException(string field, string message) : base(message)
    {
        Field = field;
    }

    public PolicyJsonException(string field, string message, long? line, long? bytePosition, Exception? inner)
        : base(message, field.Length == 0 ? "$" : "$." + field, line, bytePosition, inner)
    {
        Field = field;
    }

    public string Field { get; }
}
