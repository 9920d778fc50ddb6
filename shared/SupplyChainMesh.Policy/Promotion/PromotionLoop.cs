using SupplyChainMesh.Policy.Patterns;
using SupplyChainMesh.Policy.Templates;

namespace SupplyChainMesh.Policy.Promotion;

/// <summary>
/// Says whether a promotion lands back where its policy applies: a target that renders to the source repository, or
/// into the source pattern, would be promoted again by the same policy, for ever. The validator asks
/// <see cref="ProblemForAnySource"/> before a policy is stored; the evaluator asks <see cref="Problem"/> with the real
/// source, so a policy stored before this check (or edited in the database) still never loops.
/// </summary>
public static class PromotionLoop
{
    /// <summary>Why promoting <paramref name="sourceRepository"/> to <paramref name="renderedTarget"/> would loop, or null.</summary>
    public static string? Problem(string sourcePattern, string registry, string sourceRepository, string targetTemplate, string renderedTarget)
    {
        ArgumentNullException.ThrowIfNull(sourcePattern);
        ArgumentNullException.ThrowIfNull(sourceRepository);
        ArgumentNullException.ThrowIfNull(renderedTarget);
        var rendered = string.Equals(targetTemplate, renderedTarget, StringComparison.Ordinal) ? "" : $" renders to '{renderedTarget}' for '{sourceRepository}', which";
        if (string.Equals(renderedTarget, sourceRepository, StringComparison.Ordinal))
            return $"The target repository '{targetTemplate}'{rendered} is the source repository: promotion would loop.";
        if (RepositoryPattern.Matches(sourcePattern, registry, renderedTarget))
            return $"The target repository '{targetTemplate}'{rendered} matches the source pattern '{sourcePattern}': promoted images would be promoted again.";
        return null;
    }

    /// <summary>
    /// Why the target could loop for some repository of the source pattern, or null. The target is rendered with the
    /// source itself when it names one repository; for a pattern, with sample repositories that fill each wildcard in
    /// turn with a short and a longer (for <c>**</c>, nested) value, so <c>dev/{name}</c>, <c>{repository}</c> and
    /// <c>{repository}-prod</c> on <c>dev/*</c> are all caught.
    /// </summary>
    public static string? ProblemForAnySource(string sourcePattern, string target)
    {
        ArgumentNullException.ThrowIfNull(sourcePattern);
        ArgumentNullException.ThrowIfNull(target);
        var (registry, path) = Split(sourcePattern);
        foreach (var sample in SampleRepositories(path))
        {
            if (Problem(sourcePattern, registry, sample, target, RepositoryTemplate.Render(target, sample)) is { } problem)
                return problem;
        }
        return null;
    }

    private static (string Registry, string Path) Split(string pattern)
    {
        if (!RepositoryPattern.NamesRegistry(pattern)) return ("", pattern);
        var slash = pattern.IndexOf('/', StringComparison.Ordinal);
        return (pattern[..slash], pattern[(slash + 1)..]);
    }

    private static IEnumerable<string> SampleRepositories(string pattern)
    {
        if (pattern.AsSpan().IndexOfAny('*', '?') < 0)
        {
            yield return pattern;
            yield break;
        }
        yield return Fill(pattern, star: "app", doubleStar: "app", question: "a");
        yield return Fill(pattern, star: "x", doubleStar: "team/app", question: "x");
    }

    private static string Fill(string pattern, string star, string doubleStar, string question) =>
        pattern.Replace("**", "\0", StringComparison.Ordinal)
            .Replace("*", star, StringComparison.Ordinal)
            .Replace("?", question, StringComparison.Ordinal)
            .Replace("\0", doubleStar, StringComparison.Ordinal);
}
