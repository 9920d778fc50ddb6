using SupplyChainMesh.Persistence.Startup;

namespace SupplyChainMesh.LayerScanner.Infrastructure;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class ScannerDbContextFactory() : DesignTimeDbContextFactory<ScannerDbContext>(ScannerDbContext.Schema, options => new ScannerDbContext(options));
