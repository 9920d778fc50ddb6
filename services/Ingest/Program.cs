using SupplyChainMesh.Ingest;
using SupplyChainMesh.Ingest.Apis;
using SupplyChainMesh.Ingest.Webhooks;
using SupplyChainMesh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();
// Opt-in (Identity:Forwarded:CertificatePath): trust only the identity the gateway forwards, and check it again.
builder.AddForwardedIdentity();

var app = builder.Build();
app.UseExceptionHandler();
// The scan API takes the registries' shared secret as well as a forwarded identity.
app.UseWebhookSecretForScans();
app.UseForwardedIdentity();
app.MapDefaultEndpoints();
app.MapRegistryEventsApi();
app.MapImagesApi();
app.MapImageStatusApi();
app.Run();
