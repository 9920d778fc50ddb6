using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SupplyChainMesh.ServiceDefaults;

/// <summary>Every host publishes its OpenAPI document at <see cref="DocumentPath"/>; the gateway merges them into one
/// document for the whole API (<c>/openapi/mesh.json</c>, browsable at <c>/scalar</c>).</summary>
public static class OpenApiExtensions
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/" + DocumentName + ".json";

    internal static IServiceCollection AddDefaultOpenApi(this IServiceCollection services) => services.AddOpenApi(DocumentName);

    internal static IEndpointRouteBuilder MapDefaultOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPath);
        return endpoints;
    }
}
