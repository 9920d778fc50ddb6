using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;

namespace SupplyChainMesh.PolicyEngine.Apis;

/// <summary>Shared request plumbing of the write APIs: reading a JSON object body, answers naming the bad field, ETags.</summary>
internal static class ApiRequests
{
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>The body as a JSON object, or the 400 that says why it is not one.</summary>
    public static async Task<(JsonObject? Body, IResult? Problem)> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
            return (null, Invalid("$", $"The body is larger than {MaxBodyBytes} bytes."));
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }, cancellationToken: ct);
            return node is JsonObject obj ? (obj, null) : (null, Invalid("$", "The body must be a JSON object."));
        }
        catch (JsonException ex)
        {
            return (null, Invalid("$", $"The body is not valid JSON: {ex.Message}"));
        }
    }

    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Invalid(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors);

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static IResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{what} does not exist.");

    public static string ETag(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The version an update is based on: the If-Match ETag, else the body's <c>version</c>. Null with a 428 problem when
    /// neither is given (an update that does not say what it read could overwrite someone else's change), or a 400 when
    /// one does not parse.
    /// </summary>
    public static (int? Version, IResult? Problem) ExpectedVersion(HttpRequest request, JsonObject? body)
    {
        if (request.Headers[HeaderNames.IfMatch].FirstOrDefault() is { Length: > 0 } ifMatch)
        {
            var text = ifMatch.Trim();
            if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
            return int.TryParse(text.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
                ? (v, null)
                : (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad If-Match", detail: $"'{ifMatch}' is not an ETag this service issued."));
        }
        if (body?["version"] is JsonValue value && value.TryGetValue<int>(out var fromBody)) return (fromBody, null);
        return (null, TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "Precondition required",
            detail: "Send If-Match with the ETag you read (or the 'version' you read in the body), so a concurrent change is not overwritten."));
    }

    public static IResult VersionMismatch(int expected, int current) =>
        TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed meanwhile",
            detail: $"You read version {expected}; the stored version is {current}. Read it again and reapply your change.");

    /// <summary>Removes the read-only members a GET adds, so what was read can be sent back.</summary>
    public static JsonObject WithoutMetadata(JsonObject body, params string[] names)
    {
        foreach (var name in names) body.Remove(name);
        return body;
    }
}
