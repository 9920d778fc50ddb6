using SupplyChainMesh.Promoter;
using SupplyChainMesh.Promoter.Apis;
using SupplyChainMesh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseExceptionHandler();
app.MapDefaultEndpoints();
app.MapPromoterApi();
app.MapSubscriptionsApi();
app.Run();
