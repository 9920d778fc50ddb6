using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Ingest.Infrastructure;

namespace SupplyChainMesh.Ingest.Apis;

/// <summary>The catalogue: which tags point to which digest, and the push history.</summary>
public static class ImagesApi
{
    public sealed record TagView(string Registry, string Repository, string Tag, string Digest, DateTimeOffset UpdatedAt);

    public sealed record PushView(string Registry, string Repository, string Tag, string Digest, string Source, string? Actor, DateTimeOffset PushedAt);

    public static IEndpointRouteBuilder MapImagesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/images").WithTags("Images");
        api.MapGet("/", async (IngestDbContext db, string? repository, CancellationToken ct) =>
            await db.Tags.AsNoTracking()
                .Where(t => repository == null || t.Repository == repository)
                .OrderBy(t => t.Repository).ThenBy(t => t.Tag)
                .Select(t => new TagView(t.Registry, t.Repository, t.Tag, t.Digest, t.UpdatedAt))
                .Take(1000).ToListAsync(ct));
        api.MapGet("/pushes", async (IngestDbContext db, string? repository, string? digest, CancellationToken ct) =>
            await db.Pushes.AsNoTracking()
                .Where(p => (repository == null || p.Repository == repository) && (digest == null || p.Digest == digest))
                .OrderByDescending(p => p.PushedAt)
                .Select(p => new PushView(p.Registry, p.Repository, p.Tag, p.Digest, p.Source, p.Actor, p.PushedAt))
                .Take(1000).ToListAsync(ct));
        return app;
    }
}
