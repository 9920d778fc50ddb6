using System.Formats.Tar;

namespace SupplyChainMesh.Oci.IO;

/// <summary>
/// Where each member of a tar file lies, built by one pass over the headers (data is skipped by seeking, never read
/// or extracted). Symlinks and hard links are resolved inside the archive; a link that leaves it is refused.
/// </summary>
public sealed class TarIndex
{
    private const int MaxLinkHops = 16;
    private readonly Dictionary<string, Member> _members;

    private TarIndex(string path, Dictionary<string, Member> members)
    {
        ArchivePath = path;
        _members = members;
    }

    public string ArchivePath { get; }

    public IEnumerable<string> Names => _members.Keys;

    public static async Task<TarIndex> BuildAsync(string path, CancellationToken cancellationToken = default)
    {
        var members = new Dictionary<string, Member>(StringComparer.Ordinal);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
        try
        {
            await using var reader = new TarReader(file, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var name = Normalise(entry.Name);
                if (name.Length == 0) continue;
                members[name] = entry.EntryType switch
                {
                    TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile
                        => new Member(entry.DataOffset, entry.Length, null),
                    TarEntryType.SymbolicLink => new Member(-1, 0, ResolveRelative(name, entry.LinkName)),
                    TarEntryType.HardLink => new Member(-1, 0, Normalise(entry.LinkName)),
                    _ => new Member(-1, 0, null),
                };
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"'{path}' is not a readable tar archive: {ex.Message}", ex);
        }
        return new TarIndex(path, members);
    }

    /// <summary>The member's data offset and length after following links, or null when it is not a file in the archive.</summary>
    public (long Offset, long Length, string Name)? Find(string name)
    {
        var current = Normalise(name);
        for (var hop = 0; hop <= MaxLinkHops; hop++)
        {
            if (!_members.TryGetValue(current, out var member)) return null;
            if (member.LinkTarget is null) return member.Offset < 0 ? null : (member.Offset, member.Length, current);
            current = member.LinkTarget;
        }
        return null; // a link loop
    }

    /// <summary>Opens a member for reading in place (its own file handle, so members can be read in parallel).</summary>
    public Stream Open(string name)
    {
        var found = Find(name) ?? throw new FileNotFoundException($"'{name}' is not a file in '{ArchivePath}'.");
        var file = new FileStream(ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        return new SubStream(file, found.Offset, found.Length);
    }

    private static string Normalise(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                // Leaving the archive root: keep a marker so the name can never match a member.
                if (parts.Count == 0) return "\0outside";
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private static string ResolveRelative(string linkName, string target)
    {
        if (target.StartsWith('/')) return Normalise(target);
        var slash = linkName.LastIndexOf('/');
        return Normalise(slash < 0 ? target : linkName[..slash] + "/" + target);
    }

    private sealed record Member(long Offset, long Length, string? LinkTarget);
}
