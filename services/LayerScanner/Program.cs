using SupplyChainMesh.LayerScanner;
using SupplyChainMesh.LayerScanner.Apis;
using SupplyChainMesh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();
// Opt-in (Identity:Forwarded:CertificatePath): trust only the identity the gateway forwards, and check it again.
builder.AddForwardedIdentity();

var app = builder.Build();
app.UseExceptionHandler();
app.UseForwardedIdentity();
app.MapDefaultEndpoints();
app.MapScansApi();
app.Run();
