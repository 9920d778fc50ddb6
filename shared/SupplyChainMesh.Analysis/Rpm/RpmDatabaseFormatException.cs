namespace SupplyChainMesh.Analysis.Rpm;

/// <summary>An rpm database file whose structure is broken beyond reading further (bad magic, impossible sizes).</summary>
public sealed class RpmDatabaseFormatException : Exception
{
    public RpmDatabaseFormatException() { }

    public RpmDatabaseFormatException(string message) : base(message) { }

    public RpmDatabaseFormatException(string message, Exception innerException) : base(message, innerException) { }
}
