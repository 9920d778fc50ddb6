using SupplyChainMesh.FeedSync;
using SupplyChainMesh.FeedSync.Apis;
using SupplyChainMesh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseExceptionHandler();
app.MapDefaultEndpoints();
app.MapFeedSyncApi();
app.MapVulnerabilitiesApi();
app.Run();
