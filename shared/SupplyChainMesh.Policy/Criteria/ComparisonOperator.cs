using System.Text.Json.Serialization;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>How a measured number is compared with the policy's bound. Written as the symbol in JSON.</summary>
public enum ComparisonOperator
{
    [JsonStringEnumMemberName(">=")] GreaterOrEqual,
    [JsonStringEnumMemberName(">")] Greater,
    [JsonStringEnumMemberName("=")] Equal,
    [JsonStringEnumMemberName("!=")] NotEqual,
    [JsonStringEnumMemberName("<=")] LessOrEqual,
    [JsonStringEnumMemberName("<")] Less,
}

public static class ComparisonOperatorExtensions
{
    public static bool Holds(this ComparisonOperator op, double actual, double bound) => op switch
    {
        ComparisonOperator.GreaterOrEqual => actual >= bound,
        ComparisonOperator.Greater => actual > bound,
        ComparisonOperator.Equal => actual == bound,
        ComparisonOperator.NotEqual => actual != bound,
        ComparisonOperator.LessOrEqual => actual <= bound,
        ComparisonOperator.Less => actual < bound,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static string Symbol(this ComparisonOperator op) => op switch
    {
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Less => "<",
        _ => op.ToString(),
    };
}
