namespace SupplyChainMesh.Oci.Manifests;

/// <summary>
/// Picks manifests out of an index by platform, the way containerd's matcher does: OS and architecture must match;
/// variants are compared after normalisation (arm64 means v8, arm means v7), and where no exact variant exists the
/// highest lower variant the platform can run is taken (an arm/v7 machine runs arm/v6 images).
/// </summary>
public static class PlatformSelector
{
    /// <summary>The entry for <paramref name="wanted"/> (default linux/amd64).</summary>
    /// <exception cref="NoMatchingPlatformException">No entry can run there.</exception>
    public static BlobDescriptor Select(ImageIndex index, Platform? wanted = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        wanted ??= Platform.LinuxAmd64;
        var wantedVariant = NormaliseVariant(wanted.Architecture, wanted.Variant);
        BlobDescriptor? best = null;
        var bestRank = int.MinValue;
        foreach (var entry in index.Manifests)
        {
            if (entry.Platform is not { } p || !MediaTypes.IsManifest(entry.MediaType)) continue;
            if (!string.Equals(p.Os, wanted.Os, StringComparison.OrdinalIgnoreCase)) continue;
            if (!string.Equals(NormaliseArchitecture(p.Architecture), NormaliseArchitecture(wanted.Architecture), StringComparison.OrdinalIgnoreCase)) continue;
            var variant = NormaliseVariant(p.Architecture, p.Variant);
            int rank;
            if (string.Equals(variant, wantedVariant, StringComparison.OrdinalIgnoreCase)) rank = 1000;
            else if (VariantLevel(variant) is { } have && VariantLevel(wantedVariant) is { } want && have < want) rank = have;
            else continue;
            if (rank > bestRank) { best = entry; bestRank = rank; }
        }
        return best ?? throw new NoMatchingPlatformException(wanted, index.Manifests.Select(m => m.Platform).OfType<Platform>().ToList());
    }

    /// <summary>Every runnable image in the index: entries with a real platform (attestations, 'unknown/unknown' or
    /// annotated <c>vnd.docker.reference.type</c> as BuildKit writes them, are left out).</summary>
    public static IReadOnlyList<BlobDescriptor> SelectAll(ImageIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return index.Manifests
            .Where(m => MediaTypes.IsManifest(m.MediaType) && m.Platform is not { Os: "unknown" } && m.Platform is not { Architecture: "unknown" }
                && m.Annotations?.ContainsKey(ReferenceTypeAnnotation) != true)
            .ToList();
    }

    /// <summary>BuildKit's annotation on an index entry that refers to another entry (its attestation manifest).</summary>
    public const string ReferenceTypeAnnotation = "vnd.docker.reference.type";

    private static string NormaliseArchitecture(string arch) => arch.ToLowerInvariant() switch
    {
        "x86_64" or "x86-64" => "amd64",
        "aarch64" => "arm64",
        "armhf" or "armel" => "arm",
        var a => a,
    };

    private static string? NormaliseVariant(string arch, string? variant)
    {
        var a = NormaliseArchitecture(arch);
        var v = variant?.ToLowerInvariant();
        return (a, v) switch
        {
            ("arm64", null or "8" or "v8") => "v8",
            ("arm", null or "7") => "v7",
            ("arm", "5" or "6" or "8") => "v" + v,
            ("amd64", null) => "v1",
            _ => v,
        };
    }

    private static int? VariantLevel(string? variant) =>
        variant is { Length: >= 2 } v && v[0] == 'v' && int.TryParse(v.AsSpan(1), out var n) ? n : null;
}
