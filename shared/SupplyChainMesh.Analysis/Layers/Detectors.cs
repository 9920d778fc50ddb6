using System.Reflection;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>The package detectors this library has.</summary>
public static class Detectors
{
    private static readonly Lazy<Type[]> DetectorTypes = new(FindDetectorTypes);

    /// <summary>
    /// A fresh instance of every <see cref="IPackageDetector"/> in this assembly that has a public constructor
    /// callable without arguments (none, or all optional: <c>JarDetector(options = null)</c>), ordered by name.
    /// Found by reflection so that each ecosystem folder adds detectors without a list to edit.
    /// </summary>
    public static IReadOnlyList<IPackageDetector> All() =>
        DetectorTypes.Value
            .Select(Create)
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToArray();

    private static Type[] FindDetectorTypes() =>
        typeof(Detectors).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
                        && typeof(IPackageDetector).IsAssignableFrom(t)
                        && DefaultConstructor(t) is not null)
            .ToArray();

    private static IPackageDetector Create(Type type)
    {
        var constructor = DefaultConstructor(type)!;
        return (IPackageDetector)constructor.Invoke([.. constructor.GetParameters().Select(p => p.DefaultValue)]);
    }

    // A primary constructor with defaults (`DepsJsonDetector(bool runtimeAssetsOnly = false)`) has no parameterless
    // overload; looking only for one silently dropped the jar, deps.json and cargo-auditable detectors.
    private static ConstructorInfo? DefaultConstructor(Type type) =>
        type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Where(c => c.GetParameters().All(p => p.IsOptional))
            .MinBy(c => c.GetParameters().Length);
}
