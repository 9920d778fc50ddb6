using SupplyChainMesh.LayerScanner;
using SupplyChainMesh.LayerScanner.Apis;
using SupplyChainMesh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseExceptionHandler();
app.MapDefaultEndpoints();
app.MapScansApi();
app.Run();
