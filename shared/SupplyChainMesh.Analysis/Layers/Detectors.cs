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
    public static IReadOnlyList<IPackageDetector> All() =>
        DetectorTypes.Value
            .Select(t => (IPackageDetector)t.Constructor.Invoke(t.Defaults))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToArray();

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
