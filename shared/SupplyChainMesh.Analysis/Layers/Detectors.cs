using System.Reflection;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>The package detectors this library has.</summary>
public static class Detectors
{
    private static readonly Lazy<Type[]> DetectorTypes = new(FindDetectorTypes);

    /// <summary>
    /// A fresh instance of every <see cref="IPackageDetector"/> in this assembly that has a public parameterless
    /// constructor, ordered by name. Found by reflection so that each ecosystem folder adds detectors without a list
    /// to edit.
    /// </summary>
    public static IReadOnlyList<IPackageDetector> All() =>
        DetectorTypes.Value
            .Select(t => (IPackageDetector)Activator.CreateInstance(t)!)
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToArray();

    private static Type[] FindDetectorTypes() =>
        typeof(Detectors).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
                        && typeof(IPackageDetector).IsAssignableFrom(t)
                        && t.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null)
            .ToArray();
}
