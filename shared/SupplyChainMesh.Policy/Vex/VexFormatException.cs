namespace SupplyChainMesh.Policy.Vex;

/// <summary>A VEX document that cannot be read, with what is wrong and where.</summary>
public sealed class VexFormatException : FormatException
{
    public VexFormatException()
    {
    }

    public VexFormatException(string message) : base(message)
    {
    }

    public VexFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
