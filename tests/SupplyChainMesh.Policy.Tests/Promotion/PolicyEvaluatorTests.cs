using SupplyChainMesh.Policy.Criteria;
using SupplyChainMesh.Policy.Exceptions;
using SupplyChainMesh.Policy.Promotion;
using static SupplyChainMesh.Policy.Tests.TestImages;

namespace SupplyChainMesh.Policy.Tests.Promotion;

public class PolicyEvaluatorTests
{
    private static PromotionPolicy Policy(string name, string source, int order, params Criterion[] criteria) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        SourceRepository = source,
        Order = order,
        Criteria = criteria,
        Action = new PromotionAction { TargetRepository = "prod/" + name, TagTemplate = "%n-%Y%m%d", Mode = PromotionMode.Move },
    };

    private static readonly PromotionPolicy NoCritical = Policy("no-critical", "dev/*", 2, new VulnerabilityCountCriterion { Severity = SeverityBucket.Critical, Count = 0 });
    private static readonly PromotionPolicy ReleaseTags = Policy("release", "dev/payments", 1, new TagCriterion { Operator = TagOperator.Regex, Value = @"^\d+\.\d+\.\d+$" });
    private static readonly PromotionPolicy OtherTeam = Policy("other", "team-b/*", 0);
    private static readonly PromotionPolicy Disabled = Policy("disabled", "dev/*", 0) with { Enabled = false };
    private static readonly PromotionPolicy Strict = Policy("strict", "dev/**", 3, new KevCriterion(), new MaxCvssCriterion { Score = 7.0 }, new TagCriterion { Operator = TagOperator.StartsWith, Value = "1." });

    private static readonly PromotionPolicy[] All = [NoCritical, ReleaseTags, OtherTeam, Disabled, Strict];

    [Fact]
    public void Matching_policies_are_evaluated_in_order_and_the_others_skipped_with_a_reason()
    {
        var result = PolicyEvaluator.Default.Evaluate(Payments(), All, now: Now);
        Assert.Equal(["release", "no-critical", "strict"], result.Verdicts.Select(v => v.PolicyName));
        Assert.Equal(["other", "disabled"], result.Skipped.Select(s => s.PolicyName).Order().Reverse());
        Assert.Contains("does not match", result.Skipped.Single(s => s.PolicyName == "other").Reason, StringComparison.Ordinal);
        Assert.Contains("disabled", result.Skipped.Single(s => s.PolicyName == "disabled").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_satisfied_policy_carries_its_promotion_target_with_the_rendered_tag()
    {
        var release = PolicyEvaluator.Default.Evaluate(Payments(), All, now: Now).Verdicts.Single(v => v.PolicyName == "release");
        Assert.Equal(PolicyOutcome.Satisfied, release.Outcome);
        Assert.Equal(new PromotionTarget("prod/release", "1.4.2-20261129", PromotionMode.Move), release.Promotion);
    }

    [Fact]
    public void A_violated_policy_says_which_criteria_failed_why_and_on_which_vulnerabilities()
    {
        var strict = PolicyEvaluator.Default.Evaluate(Payments(), All, now: Now).Verdicts.Single(v => v.PolicyName == "strict");
        Assert.Equal(PolicyOutcome.Violated, strict.Outcome);
        Assert.Null(strict.Promotion);
        Assert.Equal([(0, "kev"), (1, "maxCvss")], strict.Failures.Select(f => (f.Index, f.Kind)));
        Assert.True(strict.Criteria[2].Passed);
        Assert.Equal(["CVE-2023-45853", "CVE-2023-4911", "CVE-2024-6119", "GHSA-35jh-r3h4-6jhm"], strict.OffendingFindings.Select(f => f.VulnerabilityId).Order());
        Assert.Contains("[0:kev]", strict.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dry_run_report_answers_which_policies_would_hold_and_why_not_the_others()
    {
        var report = DryRunReport.From(PolicyEvaluator.Default.Evaluate(Payments(), All, now: Now));
        Assert.Equal("registry.example.com/dev/payments:1.4.2@" + Digest, report.Image);
        Assert.Equal("would move to prod/release:1.4.2-20261129", Assert.Single(Assert.Single(report.WouldSatisfy).Reasons));
        Assert.Equal(["no-critical", "strict"], report.WouldViolate.Select(l => l.PolicyName));
        Assert.Contains("CVE-2023-45853", Assert.Single(report.WouldViolate[0].Reasons), StringComparison.Ordinal);
        Assert.Equal(2, report.NotApplicable.Count);
    }

    [Fact]
    public void The_fingerprint_is_stable_for_unchanged_inputs_even_as_the_clock_moves()
    {
        var first = PolicyEvaluator.Default.Evaluate(Payments(), All, now: Now);
        var later = PolicyEvaluator.Default.Evaluate(Payments(), All, now: Now.AddHours(1));
        Assert.Equal(first.Fingerprint, later.Fingerprint);
        Assert.StartsWith("sha256:", first.Fingerprint, StringComparison.Ordinal);
        Assert.Equal(71, first.Fingerprint.Length);
    }

    [Fact]
    public void The_fingerprint_changes_when_a_verdict_changes()
    {
        var baseline = PolicyEvaluator.Default.Evaluate(Payments(), All, now: Now).Fingerprint;
        // Another finding set (critical gone), an edited policy, an exception, another digest: each yields a new fingerprint.
        var fewerFindings = PolicyEvaluator.Default.Evaluate(Payments(findings: [LooneyTunables, OpenSslDh]), All, now: Now).Fingerprint;
        var editedPolicy = PolicyEvaluator.Default.Evaluate(Payments(), [NoCritical with { Order = 2, Criteria = [new KevCriterion()] }, ReleaseTags, OtherTeam, Disabled, Strict], now: Now).Fingerprint;
        var excepted = PolicyEvaluator.Default.Evaluate(Payments(), All,
            [new VulnerabilityException { Id = Guid.NewGuid(), VulnerabilityId = "CVE-2023-45853", Reason = "minizip unused", CreatedBy = "sec" }], now: Now).Fingerprint;
        var otherDigest = PolicyEvaluator.Default.Evaluate(Payments() with { ManifestDigest = "sha256:" + new string('b', 64) }, All, now: Now).Fingerprint;
        Assert.Equal(5, new[] { baseline, fewerFindings, editedPolicy, excepted, otherDigest }.Distinct().Count());
    }

    [Fact]
    public void The_clock_changes_the_fingerprint_only_when_it_changes_a_verdict()
    {
        var pushedRecently = Policy("fresh", "dev/*", 0, new PushedWithinCriterion { Days = 3 });
        var today = PolicyEvaluator.Default.Evaluate(Payments(), [pushedRecently], now: Now);
        var tomorrow = PolicyEvaluator.Default.Evaluate(Payments(), [pushedRecently], now: Now.AddDays(0.5));
        var nextWeek = PolicyEvaluator.Default.Evaluate(Payments(), [pushedRecently], now: Now.AddDays(7));
        Assert.Equal(today.Fingerprint, tomorrow.Fingerprint);
        Assert.NotEqual(today.Fingerprint, nextWeek.Fingerprint);
        Assert.Equal(PolicyOutcome.Violated, Assert.Single(nextWeek.Verdicts).Outcome);
    }

    [Fact]
    public void A_template_that_cannot_render_leaves_the_policy_satisfied_with_a_promotion_problem()
    {
        var policy = Policy("untagged", "dev/*", 0) with { Action = new PromotionAction { TargetRepository = "prod/x", TagTemplate = "%n" } };
        var verdict = Assert.Single(PolicyEvaluator.Default.Evaluate(Payments(tag: null), [policy], now: Now).Verdicts);
        Assert.Equal(PolicyOutcome.Satisfied, verdict.Outcome);
        Assert.Null(verdict.Promotion!.Tag);
        Assert.Contains("no tag", verdict.Promotion.Problem, StringComparison.Ordinal);
    }

    /// <summary>A looping policy that got past validation (stored before the check, or written to the database) is
    /// satisfied without a promotion: the service turns the problem into a PolicyViolated on "action".</summary>
    [Theory]
    [InlineData("dev/*", "dev/{name}", "is the source repository")]
    [InlineData("dev/payments", "{repository}", "is the source repository")]
    [InlineData("dev/*", "{repository}-prod", "matches the source pattern 'dev/*'")]
    [InlineData("registry.example.com/dev/*", "dev/released", "matches the source pattern")]
    public void A_target_that_renders_into_the_source_is_a_promotion_problem_not_a_loop(string source, string target, string message)
    {
        var policy = Policy("loop", source, 0) with { Action = new PromotionAction { TargetRepository = target, TagTemplate = "%n" } };
        Assert.False(PolicyValidator.Validate(policy).IsValid);
        var verdict = Assert.Single(PolicyEvaluator.Default.Evaluate(Payments(), [policy], now: Now).Verdicts);
        Assert.Equal(PolicyOutcome.Satisfied, verdict.Outcome);
        Assert.Null(verdict.Promotion!.Tag);
        Assert.Contains(message, verdict.Promotion.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dev/*", "dev/payments", true)]
    [InlineData("dev/*", "dev/team/payments", false)]
    [InlineData("dev/**", "dev/team/payments", true)]
    [InlineData("*", "anything/at/all", true)]
    [InlineData("registry.example.com/dev/*", "dev/payments", true)]
    [InlineData("other.example.com/dev/*", "dev/payments", false)]
    [InlineData("dev/pay?ents", "dev/payments", true)]
    public void Source_patterns_match_repositories(string pattern, string repository, bool applies)
    {
        var result = PolicyEvaluator.Default.Evaluate(Payments(repository), [Policy("p", pattern, 0)], now: Now);
        Assert.Equal(applies, result.Verdicts.Count == 1);
    }
}
