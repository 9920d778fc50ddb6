using System.Text;
using SupplyChainMesh.Analysis.Python;
using SupplyChainMesh.Analysis.Tests.LanguageDetection;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Python;

public class PythonMetadataDetectorTests
{
    private const string SitePackages = "usr/lib/python3/dist-packages/";
    private readonly PythonMetadataDetector _detector = new();

    // Name and version as written in the metadata (they agree with the release named in each upstream file name);
    // licences: License-Expression, else License (not UNKNOWN), else licence classifiers as SPDX ids.
    [Theory]
    [InlineData("site-packages/Python-2.7.egg-info", "Python-2.7.egg-info", "Python", "2.7.13", "PSF license")]
    [InlineData("site-packages/requests-2.22.0.egg-info/PKG-INFO", "requests-2.22.0.egg-info/PKG-INFO", "requests", "2.22.0", "Apache 2.0")]
    [InlineData("site-packages/typing_extensions-4.4.0.dist-info/METADATA", "typing_extensions-4.4.0.dist-info/METADATA", "typing_extensions", "4.4.0", "")]
    [InlineData("trivy-metadata/asyncssh-2.14.2.METADATA", "asyncssh-2.14.2.dist-info/METADATA", "asyncssh", "2.14.2", "Eclipse Public License v2.0")]
    [InlineData("trivy-metadata/distlib-0.3.1-py3.9.egg-info", "distlib-0.3.1-py3.9.egg-info", "distlib", "0.3.1", "Python license")]
    [InlineData("trivy-metadata/distlib-0.3.1.METADATA", "distlib-0.3.1.dist-info/METADATA", "distlib", "0.3.1", "Python license")]
    [InlineData("trivy-metadata/iniconfig-2.0.0.METADATA", "iniconfig-2.0.0.dist-info/METADATA", "iniconfig", "2.0.0", "MIT")]
    [InlineData("trivy-metadata/networkx-3.0.METADATA", "networkx-3.0.dist-info/METADATA", "networkx", "3.0", "")]
    [InlineData("trivy-metadata/pyphen-0.14.0.METADATA", "pyphen-0.14.0.dist-info/METADATA", "pyphen", "0.14.0", "GPL-2.0-or-later,LGPL-2.0-or-later,MPL-1.1")]
    // setuptools: License is UNKNOWN and its licence classifier sits after a blank line inside the Description, where
    // the header block has already ended (as for Trivy's textproto reader), so no licence.
    [InlineData("trivy-metadata/setuptools-51.3.3-py3.8.egg-info.PKG-INFO", "setuptools-51.3.3-py3.8.egg-info/PKG-INFO", "setuptools", "51.3.3", "")]
    [InlineData("trivy-metadata/unidecode-egg-info.PKG-INFO", "Unidecode-0.4.1.egg-info/PKG-INFO", "Unidecode", "0.4.1", "")]
    [InlineData("trivy-metadata/zipp-3.12.1.METADATA", "zipp-3.12.1.dist-info/METADATA", "zipp", "3.12.1", "MIT")]
    public async Task Fixture_metadata(string fixture, string layerName, string name, string version, string licenses)
    {
        var file = Path.Combine(RepositoryLayout.Fixtures, "lang", "python", fixture);
        var sink = await DetectorRun.FileAsync(_detector, file, SitePackages + layerName);
        Assert.Empty(sink.Problems);
        var package = Assert.Single(sink.Packages);
        Assert.Equal((name, version, licenses), (package.Name, package.Version, string.Join(',', package.Licenses)));
        Assert.Equal("pypi", package.Type);
        Assert.Equal(SitePackages + layerName, package.Path);
    }

    [Theory]
    [InlineData("x/foo-1.0.dist-info/METADATA", true)]
    [InlineData("x/foo-1.0.egg-info/PKG-INFO", true)]
    [InlineData("x/foo-1.0.egg-info", true)]
    [InlineData("x/foo.egg/EGG-INFO/PKG-INFO", true)]
    [InlineData("x/foo-1.0.dist-info/RECORD", false)]
    [InlineData("x/foo-1.0.egg-info/top_level.txt", false)]
    public void Wants_metadata_files_only(string path, bool wanted) =>
        Assert.Equal(wanted, _detector.Wants(new SupplyChainMesh.Analysis.Layers.LayerFile(path, 10, 0b110_100_100)));

    [Fact]
    public async Task Bookworm_apps_image_yields_every_debian_python_distribution()
    {
        // Ground truth: the metadata paths; name and version come from each path's "<name>-<version>." prefix.
        var expected = File.ReadAllLines(Path.Combine(TestImageScan.ImagesDirectory, "expected", "bookworm-apps", "python-metadata.txt"))
            .Where(l => l.Length > 0)
            .Select(l => Path.GetFileName(l))
            .Select(n => n[..n.LastIndexOf('.')])
            .Order(StringComparer.Ordinal)
            .ToList();
        var scan = await TestImageScan.ScanAsync("bookworm-apps", _detector);
        Assert.Empty(scan.Problems);
        // Distribution names in file names use '_' where the metadata may say '-'; compare PEP 503 style.
        static string Normal(string s) => s.ToLowerInvariant().Replace('-', '_');
        Assert.Equal(expected.Select(Normal), scan.By("python").Select(p => Normal($"{p.Name}-{p.Version}")).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Metadata-Version: 2.1\nSummary: no name\n")]
    [InlineData("\u0000\u00ff\u0013 random bytes \n\n Name: late")]
    [InlineData("")]
    public async Task Metadata_without_identity_is_a_problem(string text)
    {
        var sink = await DetectorRun.BytesAsync(_detector, Encoding.UTF8.GetBytes(text), SitePackages + "x-1.dist-info/METADATA");
        Assert.Empty(sink.Packages);
        Assert.Single(sink.Problems);
    }

    [Fact]
    public async Task Multi_line_license_text_is_not_taken_as_a_licence_id()
    {
        var text = "Name: foo\nVersion: 1.0\nLicense: Copyright (c) 2020\n        Permission is hereby granted\nClassifier: License :: OSI Approved :: MIT License\n\nbody";
        var sink = await DetectorRun.BytesAsync(_detector, Encoding.UTF8.GetBytes(text), SitePackages + "foo-1.0.dist-info/METADATA");
        Assert.Equal(["MIT"], Assert.Single(sink.Packages).Licenses);
    }
}
