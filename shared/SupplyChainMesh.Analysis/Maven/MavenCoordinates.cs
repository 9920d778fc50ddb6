using System.Text.RegularExpressions;

namespace SupplyChainMesh.Analysis.Maven;

/// <summary>groupId:artifactId:version of a Java archive.</summary>
internal sealed partial record MavenCoordinates(string GroupId, string ArtifactId, string Version)
{
    /// <summary>Group and artifact ids without whitespace, as Maven requires; manifest prose fails this.</summary>
    public bool IsMavenShaped => !GroupId.Any(char.IsWhiteSpace) && !ArtifactId.Any(char.IsWhiteSpace) && !Version.Any(char.IsWhiteSpace);

    /// <summary>Reads <c>pom.properties</c> (Java properties: <c>key=value</c> or <c>key: value</c>, # and ! comments).</summary>
    public static MavenCoordinates? FromPomProperties(string text)
    {
        string? group = null, artifact = null, version = null;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (line.IsEmpty || line[0] is '#' or '!') continue;
            var separator = line.IndexOfAny('=', ':');
            if (separator <= 0) continue;
            var key = line[..separator].Trim();
            var value = line[(separator + 1)..].Trim().ToString();
            if (key.SequenceEqual("groupId")) group = value;
            else if (key.SequenceEqual("artifactId")) artifact = value;
            else if (key.SequenceEqual("version")) version = value;
        }
        return string.IsNullOrEmpty(group) || string.IsNullOrEmpty(artifact) || string.IsNullOrEmpty(version)
            ? null
            : new MavenCoordinates(group, artifact, version);
    }

    /// <summary>
    /// artifactId and version from a file name like <c>spring-core-5.3.4-SNAPSHOT.jar</c> (Trivy's rule), used to tell
    /// which of the pom.properties inside an archive describes the archive itself.
    /// </summary>
    public static (string ArtifactId, string Version)? FromFileName(string fileName)
    {
        var match = FileNamePattern().Match(fileName);
        return match.Success ? (match.Groups[1].Value, match.Groups[2].Value) : null;
    }

    [GeneratedRegex(@"^([a-zA-Z0-9\._-]*[^-*])-(\d\S*(?:-SNAPSHOT)?)\.jar$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}
