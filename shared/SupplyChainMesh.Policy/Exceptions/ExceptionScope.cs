using System.Text.Json.Serialization;

namespace SupplyChainMesh.Policy.Exceptions;

public enum ExceptionScope
{
    /// <summary>Every image in every repository.</summary>
    [JsonStringEnumMemberName("global")] Global,

    /// <summary>Images of repositories matching a pattern (<c>dev/payments</c>, <c>dev/*</c>).</summary>
    [JsonStringEnumMemberName("repository")] Repository,

    /// <summary>One image, by manifest digest.</summary>
    [JsonStringEnumMemberName("image")] Image,
}
