using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SupplyChainMesh.Oci.References;

/// <summary>
/// Where an image is and which one: a registry repository with a tag and/or digest, an OCI layout folder with an
/// optional tag, or a docker-archive tar. Parses skopeo's transport syntax (<c>docker://</c>, <c>oci:</c>,
/// <c>docker-archive:</c>) and plain references as Kubernetes pod specs carry them, normalised the way Docker does:
/// <c>nginx</c> is <c>docker.io/library/nginx:latest</c>.
/// </summary>
public sealed record ImageReference
{
    public const string DockerHub = "docker.io";
    public const string DefaultTag = "latest";
    private const string DockerPrefix = "docker://";
    private const string OciPrefix = "oci:";
    private const string ArchivePrefix = "docker-archive:";

    private ImageReference(ImageTransport transport) => Transport = transport;

    public ImageTransport Transport { get; }

    /// <summary>Registry host with optional port (<c>docker.io</c>, <c>localhost:5000</c>); null for local transports.</summary>
    public string? Registry { get; private init; }

    /// <summary>Repository path inside the registry (<c>library/nginx</c>); null for local transports.</summary>
    public string? Repository { get; private init; }

    /// <summary>
    /// Registry: the tag (<c>latest</c> when neither a tag nor a digest was given). OCI layout: the
    /// <c>org.opencontainers.image.ref.name</c> to pick, or null. Docker archive: the RepoTags entry to pick, or null.
    /// </summary>
    public string? Tag { get; private init; }

    /// <summary>The manifest digest (<c>sha256:...</c>) when the reference pins one.</summary>
    public string? Digest { get; private init; }

    /// <summary>The folder (OCI layout) or tar file (docker archive); null for registries.</summary>
    public string? Path { get; private init; }

    /// <summary>What to ask the registry's manifest endpoint for: the digest when pinned, else the tag.</summary>
    public string ManifestReference => Digest ?? Tag ?? DefaultTag;

    /// <summary><c>registry/repository</c> without tag or digest.</summary>
    public string? Name => Transport == ImageTransport.Registry ? $"{Registry}/{Repository}" : null;

    public static ImageReference ForRegistry(string registry, string repository, string? tag = null, string? digest = null)
    {
        var text = $"{registry}/{repository}";
        if (!ReferenceGrammar.IsValidRegistry(registry)) throw new ImageReferenceException(text, $"'{registry}' is not a valid registry host");
        if (!ReferenceGrammar.IsValidRepository(repository)) throw new ImageReferenceException(text, $"'{repository}' is not a valid repository name");
        if (tag is not null && !ReferenceGrammar.IsValidTag(tag)) throw new ImageReferenceException(text, $"'{tag}' is not a valid tag");
        if (digest is not null && !ReferenceGrammar.IsValidDigest(digest)) throw new ImageReferenceException(text, $"'{digest}' is not a valid digest");
        return new ImageReference(ImageTransport.Registry)
        {
            Registry = registry,
            Repository = repository,
            Tag = tag ?? (digest is null ? DefaultTag : null),
            Digest = digest,
        };
    }

    /// <summary>The same repository pinned to another tag (and no digest).</summary>
    public ImageReference WithTag(string tag)
    {
        RequireRegistry();
        return ForRegistry(Registry!, Repository!, tag);
    }

    /// <summary>The same repository pinned to a digest (the tag is dropped: a digest says everything).</summary>
    public ImageReference WithDigest(string digest)
    {
        RequireRegistry();
        return ForRegistry(Registry!, Repository!, tag: null, digest);
    }

    public static ImageReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseCore(text, out var reference, out var error) ? reference : throw new ImageReferenceException(text, error);
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out ImageReference? reference)
    {
        reference = null;
        return text is not null && TryParseCore(text, out reference, out _);
    }

    private static bool TryParseCore(string text, [NotNullWhen(true)] out ImageReference? reference, out string error)
    {
        reference = null;
        if (text.Length == 0) { error = "it is empty"; return false; }
        if (text.Any(char.IsControl)) { error = "it contains control characters"; return false; }
        if (text.StartsWith(DockerPrefix, StringComparison.Ordinal))
            return TryParseRegistry(text[DockerPrefix.Length..], out reference, out error);
        if (text.StartsWith(OciPrefix, StringComparison.Ordinal))
            return TryParseLocal(ImageTransport.OciLayout, text[OciPrefix.Length..], out reference, out error);
        if (text.StartsWith(ArchivePrefix, StringComparison.Ordinal))
            return TryParseLocal(ImageTransport.DockerArchive, text[ArchivePrefix.Length..], out reference, out error);
        if (text.Contains("://", StringComparison.Ordinal))
        {
            error = "unknown transport (use docker://, oci: or docker-archive:)";
            return false;
        }
        return TryParseRegistry(text, out reference, out error);
    }

    // Local transports split at the first ':' after the transport, as skopeo does: a path cannot contain ':'.
    private static bool TryParseLocal(ImageTransport transport, string rest, [NotNullWhen(true)] out ImageReference? reference, out string error)
    {
        reference = null;
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var path = colon < 0 ? rest : rest[..colon];
        var selector = colon < 0 ? null : rest[(colon + 1)..];
        if (path.Length == 0) { error = "the path is empty"; return false; }
        if (selector is { Length: 0 }) { error = "the tag after ':' is empty"; return false; }
        if (transport == ImageTransport.OciLayout && selector is not null && !ReferenceGrammar.IsValidOciRefName(selector))
        {
            error = $"'{selector}' is not a valid OCI layout reference name";
            return false;
        }
        if (transport == ImageTransport.DockerArchive && selector is not null && !TryParseRegistry(selector, out _, out var inner))
        {
            error = $"the archive reference '{selector}' is invalid: {inner}";
            return false;
        }
        reference = new ImageReference(transport) { Path = path, Tag = selector };
        error = "";
        return true;
    }

    private static bool TryParseRegistry(string text, [NotNullWhen(true)] out ImageReference? reference, out string error)
    {
        reference = null;
        if (text.Length == 0) { error = "the name is empty"; return false; }

        string? digest = null;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var nameAndTag = text;
        if (at >= 0)
        {
            digest = text[(at + 1)..];
            nameAndTag = text[..at];
            if (!ReferenceGrammar.IsValidDigest(digest)) { error = $"'{digest}' is not a valid digest"; return false; }
        }

        string? tag = null;
        var lastSlash = nameAndTag.LastIndexOf('/');
        var tagColon = nameAndTag.LastIndexOf(':');
        var name = nameAndTag;
        if (tagColon > lastSlash)
        {
            tag = nameAndTag[(tagColon + 1)..];
            name = nameAndTag[..tagColon];
            if (!ReferenceGrammar.IsValidTag(tag)) { error = $"'{tag}' is not a valid tag"; return false; }
        }
        if (name.Length == 0) { error = "the repository name is empty"; return false; }

        // Docker's rule: the first segment is a registry when it has '.', ':' or is 'localhost' (or has uppercase,
        // which a repository never may).
        string registry;
        string repository;
        var firstSlash = name.IndexOf('/', StringComparison.Ordinal);
        var first = firstSlash < 0 ? null : name[..firstSlash];
        if (first is not null && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal)
            || first == "localhost" || first.Any(char.IsUpper)))
        {
            registry = first;
            repository = name[(firstSlash + 1)..];
        }
        else
        {
            registry = DockerHub;
            repository = name;
        }
        if (registry is "index.docker.io" or "registry-1.docker.io") registry = DockerHub;
        if (registry == DockerHub && !repository.Contains('/', StringComparison.Ordinal)) repository = "library/" + repository;

        if (!ReferenceGrammar.IsValidRegistry(registry)) { error = $"'{registry}' is not a valid registry host"; return false; }
        if (!ReferenceGrammar.IsValidRepository(repository))
        {
            error = $"'{repository}' is not a valid repository name (lowercase components of [a-z0-9] joined by '.', '_', '__' or '-', separated by '/')";
            return false;
        }
        if (registry.Length + 1 + repository.Length > ReferenceGrammar.MaxNameLength)
        {
            error = $"the name is longer than {ReferenceGrammar.MaxNameLength} characters";
            return false;
        }

        reference = new ImageReference(ImageTransport.Registry)
        {
            Registry = registry,
            Repository = repository,
            Tag = tag ?? (digest is null ? DefaultTag : null),
            Digest = digest,
        };
        error = "";
        return true;
    }

    /// <summary><c>registry/repository[:tag][@digest]</c> for registries (no transport prefix).</summary>
    public string ToCanonicalString()
    {
        RequireRegistry();
        var sb = new StringBuilder(Registry).Append('/').Append(Repository);
        if (Tag is not null) sb.Append(':').Append(Tag);
        if (Digest is not null) sb.Append('@').Append(Digest);
        return sb.ToString();
    }

    /// <summary>The short form Docker prints: <c>nginx:1.25</c> for <c>docker.io/library/nginx:1.25</c>.</summary>
    public string ToFamiliarString()
    {
        RequireRegistry();
        var name = Registry == DockerHub
            ? Repository!.StartsWith("library/", StringComparison.Ordinal) ? Repository[8..] : Repository!
            : $"{Registry}/{Repository}";
        var sb = new StringBuilder(name);
        if (Tag is not null) sb.Append(':').Append(Tag);
        if (Digest is not null) sb.Append('@').Append(Digest);
        return sb.ToString();
    }

    /// <summary>The transport form that <see cref="Parse"/> reads back: <c>docker://...</c>, <c>oci:...</c>, <c>docker-archive:...</c>.</summary>
    public override string ToString() => Transport switch
    {
        ImageTransport.Registry => DockerPrefix + ToCanonicalString(),
        ImageTransport.OciLayout => OciPrefix + Path + (Tag is null ? "" : ":" + Tag),
        _ => ArchivePrefix + Path + (Tag is null ? "" : ":" + Tag),
    };

    private void RequireRegistry()
    {
        if (Transport != ImageTransport.Registry)
            throw new InvalidOperationException($"'{this}' is not a registry reference.");
    }
}
