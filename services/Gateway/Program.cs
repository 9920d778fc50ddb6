using SupplyChainMesh.Gateway;
using SupplyChainMesh.Gateway.Proxy;
using SupplyChainMesh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseMiddleware<CorrelationIdMiddleware>();
app.UseExceptionHandler();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.MapGatewayEndpoints();
app.Run();

/// <summary>The entry point, visible to the tests' host factory.</summary>
public partial class Program;
