using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>The package detectors this library has.</summary>
public static class Detectors
{
    private static readonly Lazy<(ConstructorInfo Constructor, object?[] Defaults)[]> DetectorTypes = new(FindDetectorTypes);

    /// <summary>
    /// A fresh instance of every <see cref="IPackageDetector"/> in this assembly that has a public constructor callable
    /// without arguments (parameterless, or with optional parameters only, as primary constructors with options have:
    /// <c>JarDetector(JarDetectorOptions? options = null)</c>), built with its defaults and ordered by name. Found by
    /// reflection so that each ecosystem folder adds detectors without a list to edit.
    /// </summary>
    public static IReadOnlyList<IPackageDetector> All()
    {
        // None found means a trimmer removed them: an empty inventory would look like a clean image, so refuse.
        if (DetectorTypes.Value.Length == 0)
            throw new InvalidOperationException("No package detector types were found: this assembly was trimmed without being rooted.");
        return DetectorTypes.Value
            .Select(t => (IPackageDetector)t.Constructor.Invoke(t.Defaults))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToArray();
    }

    // Reflection over this assembly's own types: an application that trims must root this assembly (the scm CLI,
    // published native AOT, does with TrimmerRootAssembly), so every detector type and its constructors are kept.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Trimmed applications root this assembly; see above.")]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Trimmed applications root this assembly; see above.")]
    private static (ConstructorInfo Constructor, object?[] Defaults)[] FindDetectorTypes() =>
        typeof(Detectors).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
                        && typeof(IPackageDetector).IsAssignableFrom(t))
            .Select(t => t.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
                .Where(c => c.GetParameters().All(p => p.IsOptional))
                .OrderBy(c => c.GetParameters().Length)
                .FirstOrDefault())
            .OfType<ConstructorInfo>()
            .Select(c => (c, c.GetParameters().Select(p => p.HasDefaultValue ? p.DefaultValue : null).ToArray()))
            .ToArray();
}
