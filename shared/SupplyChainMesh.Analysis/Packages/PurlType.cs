namespace SupplyChainMesh.Analysis.Packages;

/// <summary>The purl types we detect and match (https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst).</summary>
public static class PurlType
{
    public const string Deb = "deb";
    public const string Apk = "apk";
    public const string Rpm = "rpm";
    public const string Npm = "npm";
    public const string PyPI = "pypi";
    public const string Maven = "maven";
    public const string NuGet = "nuget";
    public const string Golang = "golang";
    public const string Cargo = "cargo";
    public const string Gem = "gem";
    public const string Composer = "composer";

    /// <summary>True for packages of an operating system's package manager (their vulnerabilities come from the distro feed).</summary>
    public static bool IsOperatingSystem(string type) => type is Deb or Apk or Rpm;
}
