namespace SupplyChainMesh.Cli.Commands;

/// <summary>
/// An image as the mesh's catalogue names it: <c>REPO[:TAG]</c> or <c>REPO@sha256:...</c>, optionally behind a
/// registry host (<c>127.0.0.1:5050/dev/app:1.0</c>; the host is dropped, the catalogue keys on the repository).
/// </summary>
internal sealed record ImageName(string Repository, string? Tag, string? Digest)
{
    public static ImageName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? digest = null;
        var rest = text.Trim();
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!digest.StartsWith("sha256:", StringComparison.Ordinal) || digest.Length != 71 || !digest[7..].All(Uri.IsHexDigit))
                throw new UsageException($"'{text}': the digest must be sha256: and 64 hex digits.");
        }
        var slash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        string? tag = null;
        if (colon > slash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
        }
        var first = rest.Split('/')[0];
        if (rest.Contains('/', StringComparison.Ordinal) && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"))
            rest = rest[(first.Length + 1)..];
        if (rest.Length == 0 || tag is { Length: 0 } || rest.Any(c => char.IsWhiteSpace(c) || char.IsUpper(c)))
            throw new UsageException($"'{text}' is not an image reference (REPO[:TAG] or REPO@sha256:...).");
        return new ImageName(rest, tag ?? (digest is null ? "latest" : null), digest);
    }

    public override string ToString() => Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
}
