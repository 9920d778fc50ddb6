namespace SupplyChainMesh.Oci.Registry;

/// <summary>
/// What a cross-repository mount did: 201 means mounted; 202 means the registry could not mount and opened an
/// ordinary upload session instead (<see cref="Upload"/>), which the caller uses for a streamed copy.
/// </summary>
public sealed record BlobMountResult(bool Mounted, BlobUploadSession? Upload);

/// <summary>An open upload session: where to PATCH and PUT the blob.</summary>
public sealed record BlobUploadSession(string Repository, Uri Location);
