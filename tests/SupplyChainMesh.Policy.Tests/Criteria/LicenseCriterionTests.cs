using SupplyChainMesh.Policy.Criteria;
using SupplyChainMesh.Policy.Validation;
using static SupplyChainMesh.Policy.Tests.TestImages;

namespace SupplyChainMesh.Policy.Tests.Criteria;

public class LicenseCriterionTests
{
    // Licences in the Payments image: Apache-2.0 (openssl, jackson), Zlib, "LGPL-2.1-or-later AND GPL-2.0-or-later" (glibc),
    // MIT (lodash), "(BSD-3-Clause OR GPL-2.0)" (node-forge).
    [Fact]
    public void An_allow_list_names_the_packages_outside_it()
    {
        var result = new LicenseCriterion { Operator = LicenseOperator.OneOf, Licenses = ["Apache-2.0", "MIT", "Zlib", "BSD-3-Clause"] }.Evaluate(Context(Payments()));
        Assert.False(result.Passed);
        // glibc needs both LGPL and GPL: not allowed. node-forge may pick BSD-3-Clause: allowed.
        Assert.Equal([Glibc], result.OffendingPackages);
    }

    [Fact]
    public void An_allow_list_that_covers_everything_passes()
    {
        var result = new LicenseCriterion
        {
            Operator = LicenseOperator.OneOf,
            Licenses = ["apache-2.0", "MIT", "Zlib", "BSD-3-Clause", "LGPL-2.1-or-later", "GPL-2.0-or-later"],
        }.Evaluate(Context(Payments()));
        Assert.True(result.Passed, result.Reason);
    }

    [Fact]
    public void A_deny_list_catches_a_conjunction_but_not_an_escapable_choice()
    {
        var result = new LicenseCriterion { Operator = LicenseOperator.NotOneOf, Licenses = ["GPL-2.0-or-later", "GPL-2.0"] }.Evaluate(Context(Payments()));
        Assert.False(result.Passed);
        Assert.Equal([Glibc], result.OffendingPackages);
        Assert.Contains("libc6", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deny_list_catches_a_choice_when_every_alternative_is_denied()
    {
        var result = new LicenseCriterion { Operator = LicenseOperator.NotOneOf, Licenses = ["GPL-2.0", "BSD-3-Clause"] }.Evaluate(Context(Payments()));
        Assert.Equal([DualLicensed], result.OffendingPackages);
    }

    [Fact]
    public void A_deny_list_without_hits_passes()
    {
        Assert.True(new LicenseCriterion { Operator = LicenseOperator.NotOneOf, Licenses = ["AGPL-3.0-only", "SSPL-1.0"] }.Evaluate(Context(Payments())).Passed);
    }

    [Fact]
    public void Spdx_expressions_split_into_ids_and_skip_exceptions()
    {
        Assert.Equal(["GPL-2.0-or-later", "MIT"], LicenseCriterion.SpdxIds("(GPL-2.0-or-later WITH Classpath-exception-2.0 OR MIT)", out var choice));
        Assert.True(choice);
    }

    [Fact]
    public void Validation_rejects_an_empty_list_and_non_spdx_ids()
    {
        var errors = new ValidationErrors();
        new LicenseCriterion { Licenses = [] }.Validate("criteria[0]", errors);
        new LicenseCriterion { Licenses = ["MIT", "GNU GPL v2"] }.Validate("criteria[1]", errors);
        Assert.Single(errors.For("criteria[0].licenses"));
        Assert.Contains("GNU GPL v2", Assert.Single(errors.For("criteria[1].licenses")), StringComparison.Ordinal);
    }
}
