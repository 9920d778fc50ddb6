namespace SupplyChainMesh.Policy.Templates;

/// <summary>
/// The target repository of a promotion, which may name the source: <c>{name}</c> is the source repository's last path
/// segment and <c>{repository}</c> its whole path, so one policy on <c>dev/*</c> promotes <c>dev/shop</c> to
/// <c>qa/shop</c> with the target <c>qa/{name}</c>. Braces cannot occur in a repository name, so a target without
/// them is the repository itself.
/// </summary>
public static class RepositoryTemplate
{
    public const string Name = "{name}";
    public const string Repository = "{repository}";

    /// <summary>True when the target names parts of the source (so it differs per source repository).</summary>
    public static bool IsTemplate(string target) => target.Contains('{', StringComparison.Ordinal);

    public static string Render(string target, string sourceRepository)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sourceRepository);
        if (!IsTemplate(target)) return target;
        var name = sourceRepository[(sourceRepository.LastIndexOf('/') + 1)..];
        return target.Replace(Repository, sourceRepository, StringComparison.Ordinal).Replace(Name, name, StringComparison.Ordinal);
    }

    /// <summary>What is wrong with a target's placeholders, or null. A sample rendering (every placeholder as <c>x</c>)
    /// is what the repository rules then check.</summary>
    public static string? Problem(string target, out string sample)
    {
        ArgumentNullException.ThrowIfNull(target);
        sample = target.Replace(Repository, "x", StringComparison.Ordinal).Replace(Name, "x", StringComparison.Ordinal);
        return sample.AsSpan().IndexOfAny('{', '}') >= 0
            ? $"'{target}' has an unknown placeholder: the target may use {Name} (the source's last segment) and {Repository} (the source path)."
            : null;
    }
}
