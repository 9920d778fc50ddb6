using SupplyChainMesh.PolicyEngine;
using SupplyChainMesh.PolicyEngine.Apis;
using SupplyChainMesh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseExceptionHandler();
app.MapDefaultEndpoints();
app.MapPoliciesApi();
app.MapVerdictsApi();
app.MapExceptionsApi();
app.MapVexApi();
app.MapAdmissionApi();
app.Run();
