using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SupplyChainMesh.Policy.Criteria;
using SupplyChainMesh.Policy.Promotion;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Serialization;

/// <summary>
/// JSON for policies, exceptions and evaluation results: camelCase, enums as strings, criteria tagged by
/// <c>kind</c>. Malformed input becomes a <see cref="PolicyJsonException"/> naming the field and the problem.
/// </summary>
public static class PolicyJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            AllowOutOfOrderMetadataProperties = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            NumberHandling = JsonNumberHandling.Strict,
            // Operators are written as symbols (<=): policies are API payloads, never embedded in HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new StrictEnumConverterFactory());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Reads a policy; throws <see cref="PolicyJsonException"/> for malformed JSON. Does not validate: call <see cref="PolicyValidator"/>.</summary>
    public static PromotionPolicy DeserializePolicy(string json) => Deserialize<PromotionPolicy>(json, "policy");

    public static T Deserialize<T>(string json, string what)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new PolicyJsonException("", $"The {what} is null.");
        }
        catch (JsonException ex)
        {
            throw new PolicyJsonException(FieldOf(ex.Path), Explain(ex), ex.LineNumber, ex.BytePositionInLine, ex);
        }
        catch (NotSupportedException ex)
        {
            // System.Text.Json reports a criterion without its "kind" as "abstract types are not supported".
            throw new PolicyJsonException(
                FieldOf((ex.InnerException as JsonException)?.Path ?? ex.Data["Path"] as string),
                $"Every criterion needs a 'kind': one of {string.Join(", ", Criterion.Kinds)}.", null, null, ex);
        }
    }

    /// <summary>Reads and validates a policy: the problems (JSON or validation) keyed by field, or none.</summary>
    public static PromotionPolicy? TryReadPolicy(string json, out ValidationErrors errors)
    {
        try
        {
            var policy = DeserializePolicy(json);
            errors = PolicyValidator.Validate(policy);
            return errors.IsValid ? policy : null;
        }
        catch (PolicyJsonException ex)
        {
            errors = new ValidationErrors();
            errors.Add(ex.Field.Length == 0 ? "$" : ex.Field, ex.Message);
            return null;
        }
    }

    /// <summary><c>$.criteria[0].severity</c> becomes <c>criteria[0].severity</c>.</summary>
    internal static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "";
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string Explain(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        if (message.Contains("type discriminator", StringComparison.OrdinalIgnoreCase))
            return $"Unknown criterion kind: use one of {string.Join(", ", Criterion.Kinds)}.";
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return $"Unknown property. {message}";
        if (ex.InnerException is not null && message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            return $"The value has the wrong type ({message}).";
        var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
        return message + where;
    }
}
