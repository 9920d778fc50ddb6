using SupplyChainMesh.Policy.Criteria;
using SupplyChainMesh.Policy.Validation;
using static SupplyChainMesh.Policy.Tests.TestImages;

namespace SupplyChainMesh.Policy.Tests.Criteria;

public class ComponentCriterionTests
{
    [Theory]
    [InlineData("pkg:deb/debian/openssl", true)]
    [InlineData("pkg:deb/debian/openssl@3.0.11-1~deb12u2", true)]
    [InlineData("pkg:deb/debian/openssl@3.0.13-1~deb12u1", false)]
    [InlineData("pkg:deb/debian/libssl*", false)]
    [InlineData("pkg:deb/debian/lib*", true)]
    [InlineData("pkg:npm/lodash", true)]
    [InlineData("pkg:NPM/Lodash", true)]
    [InlineData("pkg:npm/underscore", false)]
    [InlineData("pkg:maven/com.fasterxml.jackson.core/*", true)]
    [InlineData("pkg:maven/*/jackson-databind", true)]
    [InlineData("pkg:pypi/*", false)]
    public void Present_and_absent_by_purl_pattern(string pattern, bool present)
    {
        var context = Context(Payments());
        var presentResult = new ComponentCriterion { Purl = pattern, Presence = ComponentPresence.Present }.Evaluate(context);
        var absentResult = new ComponentCriterion { Purl = pattern, Presence = ComponentPresence.Absent }.Evaluate(context);
        Assert.Equal(present, presentResult.Passed);
        Assert.Equal(!present, absentResult.Passed);
        if (present) Assert.NotEmpty(absentResult.OffendingPackages);
    }

    [Theory]
    [InlineData("<4.17.21", true)]
    [InlineData(">=4.17.21", false)]
    [InlineData(">=4.0.0, <4.17.21", true)]
    [InlineData(">=4.0.0, <4.17.20", false)]
    [InlineData("<3.0.0 || >=4.17.0, <=4.17.20", true)]
    [InlineData("4.17.20", true)]
    [InlineData("=4.17.19", false)]
    [InlineData("!=4.17.20", false)]
    [InlineData(">4.9.0", true)]
    public void Version_ranges_compare_versions_not_strings(string range, bool matches)
    {
        // ">4.9.0" matching 4.17.20 is the case a string comparison gets wrong.
        var result = new ComponentCriterion { Purl = "pkg:npm/lodash", VersionRange = range, Presence = ComponentPresence.Absent }.Evaluate(Context(Payments()));
        Assert.Equal(!matches, result.Passed);
        if (matches) Assert.Equal([Lodash], result.OffendingPackages);
    }

    [Fact]
    public void Version_ranges_use_the_injected_comparer_with_the_package_type()
    {
        var comparer = new RecordingComparer();
        new ComponentCriterion { Purl = "pkg:deb/debian/openssl", VersionRange = "<3.0.14-1~deb12u1" }.Evaluate(Context(Payments(), comparer));
        Assert.Equal(("deb", "3.0.11-1~deb12u2", "3.0.14-1~deb12u1"), Assert.Single(comparer.Calls));
    }

    [Fact]
    public void Debian_tilde_sorts_before_release_in_the_fallback_comparer()
    {
        Assert.True(GenericVersionComparer.Instance.Compare("deb", "3.0.11-1~deb12u2", "3.0.11-1") < 0);
        Assert.True(GenericVersionComparer.Instance.Compare("npm", "1.10.0", "1.9.9") > 0);
        Assert.Equal(0, GenericVersionComparer.Instance.Compare("npm", "1.02", "1.2"));
    }

    [Theory]
    [InlineData("openssl", null, "criteria[0].purl")]
    [InlineData("pkg:npm/lodash", ">=1.0,,<2", "criteria[0].versionRange")]
    [InlineData("pkg:npm/lodash", ">= ", "criteria[0].versionRange")]
    public void Validation_names_the_bad_field(string purl, string? range, string field)
    {
        var errors = new ValidationErrors();
        new ComponentCriterion { Purl = purl, VersionRange = range }.Validate("criteria[0]", errors);
        Assert.Equal([field], errors.Fields);
    }

    private sealed class RecordingComparer : IVersionComparer
    {
        public List<(string, string, string)> Calls { get; } = [];

        public bool IsValid(string purlType, string version) => true;

        public int Compare(string purlType, string left, string right)
        {
            Calls.Add((purlType, left, right));
            return GenericVersionComparer.Instance.Compare(purlType, left, right);
        }
    }
}

public class SchemeVersionComparerTests
{
    [Theory]
    // dpkg: '~' sorts before the empty string, epochs dominate.
    [InlineData("deb", "3.0.11-1~deb12u2", "3.0.11-1", -1)]
    [InlineData("deb", "1:1.2.13.dfsg-1", "1.3.1-1", 1)]
    // npm semver: a pre-release sorts before its release.
    [InlineData("npm", "4.17.21-beta.1", "4.17.21", -1)]
    [InlineData("npm", "4.17.20", "4.9.0", 1)]
    // PEP 440: 1.0rc1 < 1.0 < 1.0.post1.
    [InlineData("pypi", "1.0rc1", "1.0", -1)]
    [InlineData("pypi", "1.0.post1", "1.0", 1)]
    // Maven: 1.0-SNAPSHOT < 1.0.
    [InlineData("maven", "2.10.0-SNAPSHOT", "2.10.0", -1)]
    public void Ranges_compare_with_the_ecosystem_scheme(string type, string left, string right, int sign)
    {
        Assert.Equal(sign, Math.Sign(SchemeVersionComparer.Instance.Compare(type, left, right)));
    }

    [Fact]
    public void The_evaluator_uses_the_schemes_by_default()
    {
        // Under dpkg, 1:1.2.13 (epoch 1) is above any epoch-0 version: the zlib package is >= 1.3 in dpkg terms.
        var result = new ComponentCriterion { Purl = "pkg:deb/debian/zlib1g", VersionRange = ">=1.3.1-1", Presence = ComponentPresence.Present }
            .Evaluate(Context(Payments(), DefaultVersionComparer.Instance));
        Assert.True(result.Passed, result.Reason);
    }

    [Fact]
    public void Validation_checks_range_bounds_with_the_scheme_of_a_literal_type()
    {
        var errors = new ValidationErrors();
        new ComponentCriterion { Purl = "pkg:npm/lodash", VersionRange = "<banana" }.Validate("criteria[0]", errors);
        Assert.Contains("not a valid npm version", Assert.Single(errors.For("criteria[0].versionRange")), StringComparison.Ordinal);
    }
}
