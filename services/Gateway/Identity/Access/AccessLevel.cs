using System.Text.Json.Serialization;

namespace SupplyChainMesh.Gateway.Identity.Access;

/// <summary>DTR's levels: <c>read</c> pulls, <c>read-write</c> also pushes, <c>admin</c> also deletes and administers
/// the namespace's policies and exceptions. Ordered: a higher level includes the lower ones.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AccessLevel>))]
public enum AccessLevel
{
    [JsonStringEnumMemberName("read")] Read = 1,
    [JsonStringEnumMemberName("read-write")] ReadWrite = 2,
    [JsonStringEnumMemberName("admin")] Admin = 3,
}

public static class AccessLevels
{
    public static string ToWire(this AccessLevel level) => level switch
    {
        AccessLevel.Read => "read",
        AccessLevel.ReadWrite => "read-write",
        AccessLevel.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown access level"),
    };

    /// <summary>Parses <c>read</c>, <c>read-write</c> or <c>admin</c> (case-insensitive; <c>ReadWrite</c> too).</summary>
    public static bool TryParse(string? text, out AccessLevel level)
    {
        level = default;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "read": level = AccessLevel.Read; return true;
            case "read-write" or "readwrite": level = AccessLevel.ReadWrite; return true;
            case "admin": level = AccessLevel.Admin; return true;
            default: return false;
        }
    }
}
