using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Promotion;
using SupplyChainMesh.PolicyEngine.Assessments;
using SupplyChainMesh.PolicyEngine.Evaluation;
using SupplyChainMesh.PolicyEngine.Infrastructure;

namespace SupplyChainMesh.PolicyEngine.Apis;

/// <summary>
/// "Which policies would this image satisfy, and why not the others": POST /api/policies/dry-run with
/// <c>{repository, digest, tag}</c> (the latest assessment of the image is fetched), an <c>image</c> reference
/// (<c>registry/repository:tag</c>, resolved to the digest this service last evaluated under that tag, or
/// <c>registry/repository@sha256:...</c>; read as Docker and Kubernetes read references, so a reference without a
/// registry means Docker Hub) or an inline <c>assessment</c>;
/// optionally <c>policies</c> (policy documents to try instead of the stored ones). Nothing is stored or published.
/// </summary>
public static class DryRunApi
{
    public static async Task<IResult> DryRunAsync(HttpRequest request, PolicyDbContext db, PolicyInputs inputs, IAssessmentSource source,
        TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var (body, problem) = await ApiRequests.ReadObjectAsync(request, ct);
        if (body is null) return problem!;
        var tag = Text(body, "tag");
        var registry = Text(body, "registry");

        IReadOnlyList<PromotionPolicy>? policies = null;
        if (body["policies"] is JsonArray tried)
        {
            var list = new List<PromotionPolicy>();
            for (var i = 0; i < tried.Count; i++)
            {
                if (tried[i] is not JsonObject candidate) return ApiRequests.Invalid($"policies[{i}]", "A policy is a JSON object.");
                var read = PoliciesApi.Read(candidate);
                if (read.Policy is not { } policy)
                    return read.Problem!;
                list.Add(policy with { Id = policy.Id == Guid.Empty ? Guid.CreateVersion7() : policy.Id });
            }
            policies = list;
        }

        ImageAssessment assessment;
        if (body["assessment"] is JsonObject inline)
        {
            try
            {
                assessment = inline.Deserialize<ImageAssessment>(FeedSyncAssessmentSource.Json)!;
            }
            catch (JsonException ex)
            {
                return ApiRequests.Invalid("assessment" + (ex.Path is { Length: > 1 } p ? p.TrimStart('$') : ""), $"The assessment does not read: {ex.Message}");
            }
        }
        else
        {
            var repository = Text(body, "repository");
            var digest = Text(body, "digest");
            if (Text(body, "image") is { } image)
            {
                ImageReference reference;
                try
                {
                    reference = ImageReference.Parse(image);
                }
                catch (FormatException ex)
                {
                    return ApiRequests.Invalid("image", $"'{image}' is not an image reference: {ex.Message}");
                }
                if (reference.Transport != ImageTransport.Registry)
                    return ApiRequests.Invalid("image", $"'{image}' is not a registry image (registry/repository:tag or registry/repository@sha256:...).");
                var imageTag = reference.Digest is null ? reference.Tag ?? ImageReference.DefaultTag : reference.Tag;
                (repository, registry, tag) = (reference.Repository, registry ?? reference.Registry, tag ?? imageTag);
                digest = reference.Digest ?? await db.Images.AsNoTracking()
                    .Where(i => i.Registry == reference.Registry && i.Repository == reference.Repository && i.Tag == imageTag)
                    .OrderByDescending(i => i.EvaluatedAt).Select(i => i.Digest).FirstOrDefaultAsync(ct);
                if (digest is null) return ApiRequests.NotFound($"An evaluated image {reference.Name}:{imageTag}");
            }
            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(repository)) errors["repository"] = ["Give the image's repository (with its digest), an image reference, or an inline assessment."];
            if (string.IsNullOrWhiteSpace(digest)) errors["digest"] = ["Give the image's manifest digest (sha256:...), an image reference, or an inline assessment."];
            if (errors.Count > 0) return ApiRequests.Invalid(errors);
            try
            {
                if (await FetchAsync(db, source, registry, repository!, digest!, ct) is not { } fetched)
                    return ApiRequests.NotFound($"An assessment of {repository}@{digest}");
                assessment = fetched with { Repository = repository!, ManifestDigest = digest!, Registry = registry ?? fetched.Registry, Tag = tag ?? fetched.Tag };
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                loggers.CreateLogger(typeof(DryRunApi)).LogWarning(ex, "FeedSync did not answer for {Repository}@{Digest}", repository, digest);
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Assessment unavailable",
                    detail: $"FeedSync did not deliver the assessment: {ex.Message}");
            }
        }
        if (tag is not null) assessment = assessment with { Tag = tag };
        if (registry is not null) assessment = assessment with { Registry = registry };

        var (result, _) = await inputs.EvaluateAsync(assessment, time.GetUtcNow(), ct, policies);
        return Results.Ok(DryRunReport.From(result));
    }

    // The report this service last evaluated for the image (it knows the id from ImageAssessed), else FeedSync's latest.
    private static async Task<ImageAssessment?> FetchAsync(PolicyDbContext db, IAssessmentSource source, string? registry, string repository, string digest, CancellationToken ct)
    {
        var reportId = await db.Images.AsNoTracking()
            .Where(i => i.Repository == repository && i.Digest == digest && (registry == null || i.Registry == registry))
            .OrderByDescending(i => i.EvaluatedAt).Select(i => (Guid?)i.ReportId).FirstOrDefaultAsync(ct);
        if (reportId is { } id && await source.GetByReportAsync(id, ct) is { } known) return known;
        return (await source.GetLatestAsync(repository, digest, ct))?.Assessment;
    }

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
