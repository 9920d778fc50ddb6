using System.Security.Claims;
using System.Text;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Policy.Vex;
using SupplyChainMesh.PolicyEngine.Evaluation;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.PolicyEngine.Model;
using SupplyChainMesh.PolicyEngine.Reevaluation;

namespace SupplyChainMesh.PolicyEngine.Apis;

/// <summary>
/// VEX documents: POST an OpenVEX or CycloneDX VEX document as it is (the format is recognised by its content); its
/// <c>not_affected</c>/<c>fixed</c> statements suppress matching findings from the next evaluation on, with the
/// justification shown. List, read (with the parsed statements), delete.
/// </summary>
public static class VexApi
{
    public sealed record VexView(Guid Id, string? DocumentId, string Format, int StatementCount, string Source, DateTimeOffset UploadedAt,
        string? UploadedBy, IReadOnlyList<VexStatement>? Statements = null);

    public static IEndpointRouteBuilder MapVexApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/vex").WithTags("VEX");
        api.MapGet("/", async (PolicyDbContext db, CancellationToken ct) =>
            await db.VexDocuments.AsNoTracking().OrderByDescending(v => v.UploadedAt)
                .Select(v => new VexView(v.Id, v.DocumentId, v.Format, v.StatementCount, v.Source, v.UploadedAt, v.UploadedBy, null))
                .ToListAsync(ct));
        api.MapGet("/{id:guid}", async (PolicyDbContext db, DocumentCache documents, Guid id, CancellationToken ct) =>
            await db.VexDocuments.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct) is { } v
                ? Results.Ok(new VexView(v.Id, v.DocumentId, v.Format, v.StatementCount, v.Source, v.UploadedAt, v.UploadedBy, documents.Vex(v.Id, v.Document)))
                : ApiRequests.NotFound($"VEX document {id}"));
        api.MapPost("/", UploadAsync);
        api.MapDelete("/{id:guid}", async (PolicyDbContext db, DocumentCache documents, IPublishEndpoint bus, TimeProvider time, ClaimsPrincipal user, Guid id,
            CancellationToken ct) =>
        {
            var stored = await db.VexDocuments.AsNoTracking().Where(v => v.Id == id).Select(v => v.Document).SingleOrDefaultAsync(ct);
            if (stored is null) return ApiRequests.NotFound($"VEX document {id}");
            // Deleting a VEX document needs the same rights as uploading it (issue 7).
            if (await WaiverAccess.VexRefusalAsync(user, db, documents.Vex(id, stored), ct) is { } refused) return refused;
            if (await db.VexDocuments.Where(v => v.Id == id).ExecuteDeleteAsync(ct) == 0) return ApiRequests.NotFound($"VEX document {id}");
            documents.ForgetVex(id);
            await bus.Publish(PolicyChanges.Vex(id, "deleted", time.GetUtcNow()), ct);
            return Results.NoContent();
        });
        return app;
    }

    private static async Task<IResult> UploadAsync(HttpRequest request, PolicyDbContext db, DocumentCache documents, IPublishEndpoint bus, TimeProvider time,
        CancellationToken ct)
    {
        if (request.ContentLength > ApiRequests.MaxBodyBytes)
            return ApiRequests.Invalid("$", $"The document is larger than {ApiRequests.MaxBodyBytes} bytes.");
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        var stored = Accept(text, "upload", request.HttpContext.User.Identity?.Name, time.GetUtcNow(), out var statements, out var problem);
        if (stored is null) return problem!;
        if (await WaiverAccess.VexRefusalAsync(request.HttpContext.User, db, statements, ct) is { } refused) return refused;
        db.VexDocuments.Add(stored);
        await db.SaveChangesAsync(ct);
        documents.ForgetVex(stored.Id);
        await bus.Publish(PolicyChanges.Vex(stored.Id, "created", stored.UploadedAt), ct);
        return Results.Created($"/api/vex/{stored.Id}",
            new VexView(stored.Id, stored.DocumentId, stored.Format, stored.StatementCount, stored.Source, stored.UploadedAt, stored.UploadedBy, statements));
    }

    /// <summary>Parses a VEX document into a row to store, or the 400 that says what is wrong with it.</summary>
    internal static StoredVexDocument? Accept(string text, string source, string? by, DateTimeOffset now, out IReadOnlyList<VexStatement> statements, out IResult? problem)
    {
        statements = [];
        problem = null;
        VexDocument document;
        try
        {
            document = VexDocuments.Read(text);
            statements = document.Statements;
        }
        catch (VexFormatException ex)
        {
            problem = ApiRequests.Invalid("$", ex.Message);
            return null;
        }
        if (statements.Count == 0)
        {
            problem = ApiRequests.Invalid("statements", "The document holds no VEX statement (OpenVEX 'statements', CycloneDX 'vulnerabilities' with an 'analysis').");
            return null;
        }
        return new StoredVexDocument
        {
            Id = Guid.CreateVersion7(),
            DocumentId = statements.Select(s => s.DocumentId).FirstOrDefault(d => d is not null),
            Format = document.FormatName,
            StatementCount = statements.Count,
            Source = source,
            Document = text,
            UploadedAt = now,
            UploadedBy = by,
        };
    }
}
