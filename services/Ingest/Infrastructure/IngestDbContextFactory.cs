using SupplyChainMesh.Persistence.Startup;

namespace SupplyChainMesh.Ingest.Infrastructure;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class IngestDbContextFactory() : DesignTimeDbContextFactory<IngestDbContext>(IngestDbContext.Schema, options => new IngestDbContext(options));
