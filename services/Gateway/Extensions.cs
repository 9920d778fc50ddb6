namespace SupplyChainMesh.Gateway;

internal static class Extensions
{
    /// <summary>YARP routes <c>/api/...</c> to the service that owns it; routes and backend addresses come from the
    /// <c>ReverseProxy</c> configuration section (appsettings, overridable by environment variables such as
    /// <c>ReverseProxy__Clusters__ingest__Destinations__d1__Address</c>). Active health checks take a dead backend out.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        return builder;
    }
}
