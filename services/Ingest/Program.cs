using SupplyChainMesh.Ingest;
using SupplyChainMesh.Ingest.Apis;
using SupplyChainMesh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseExceptionHandler();
app.MapDefaultEndpoints();
app.MapRegistryEventsApi();
app.MapImagesApi();
app.MapImageStatusApi();
app.Run();
