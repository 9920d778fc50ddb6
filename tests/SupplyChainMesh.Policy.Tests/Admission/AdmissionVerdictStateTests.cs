using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Policy.Admission;

namespace SupplyChainMesh.Policy.Tests.Admission;

/// <summary>
/// "Not scanned" against "unknown": an image the verdict store answers for with nothing was never scanned and breaks a
/// requireScanned rule in every mode and whatever its fail-open setting; an image whose lookup failed or timed out
/// has an unknown verdict, which the rule's fail-open/fail-closed setting decides.
/// </summary>
public class AdmissionVerdictStateTests
{
    private static byte[] Body(string file) => File.ReadAllBytes(TestImages.TestData("Admission", file));

    private static AdmissionRule Scanned(AdmissionMode mode, UnknownVerdictAction unknown) =>
        new() { Name = "scanned", RequireScanned = true, Mode = mode, OnUnknownVerdict = unknown };

    [Theory]
    [InlineData(UnknownVerdictAction.FailOpen)]
    [InlineData(UnknownVerdictAction.FailClosed)]
    public async Task An_image_never_scanned_is_denied_in_enforce_mode_whatever_the_fail_open_setting(UnknownVerdictAction unknown)
    {
        var review = await new AdmissionController([Scanned(AdmissionMode.Enforce, unknown)]).ReviewAsync(Body("pod-create.json"), new FakeVerdicts());
        var response = review.Response!;
        Assert.False(response.Allowed);
        Assert.Equal(403, response.Status!.Code);
        Assert.Contains("image 'registry.example.com/prod/payments-migrations:2.4.1' (init container 'migrate') breaks rule 'scanned': it has not been scanned",
            response.Status.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("admitted without a verdict", string.Join(" ", response.Warnings ?? []), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_never_scanned_is_a_warning_in_warn_mode_and_an_annotation_in_audit_mode_even_failing_open()
    {
        var warned = (await new AdmissionController([Scanned(AdmissionMode.Warn, UnknownVerdictAction.FailOpen)])
            .ReviewAsync(Body("pod-create.json"), new FakeVerdicts())).Response!;
        Assert.True(warned.Allowed);
        Assert.Equal(3, warned.Warnings!.Count);
        Assert.All(warned.Warnings, w => Assert.Contains("breaks rule 'scanned': it has not been scanned", w, StringComparison.Ordinal));

        var audited = (await new AdmissionController([Scanned(AdmissionMode.Audit, UnknownVerdictAction.FailOpen)])
            .ReviewAsync(Body("pod-create.json"), new FakeVerdicts())).Response!;
        Assert.True(audited.Allowed);
        Assert.Null(audited.Warnings);
        Assert.Contains("'fluent/fluent-bit:3.1' (container 'log-shipper') breaks rule 'scanned': it has not been scanned",
            audited.AuditAnnotations![AdmissionController.AuditAnnotationKey], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("store")]
    [InlineData("timeout")]
    public async Task A_failed_or_timed_out_lookup_is_unknown_so_the_rule_fails_open_or_closed(string failure)
    {
        Exception error = failure == "store" ? new InvalidOperationException("the verdict store is unreachable") : new TaskCanceledException("the lookup timed out");
        var verdicts = new FakeVerdicts { Throw = error };

        var open = (await new AdmissionController([Scanned(AdmissionMode.Enforce, UnknownVerdictAction.FailOpen)])
            .ReviewAsync(Body("pod-create.json"), verdicts)).Response!;
        Assert.True(open.Allowed);
        Assert.Equal(3, open.Warnings!.Count);
        Assert.All(open.Warnings, w => Assert.Contains("was admitted without a verdict: rule 'scanned' fails open", w, StringComparison.Ordinal));

        var closed = (await new AdmissionController([Scanned(AdmissionMode.Enforce, UnknownVerdictAction.FailClosed)])
            .ReviewAsync(Body("pod-create.json"), verdicts)).Response!;
        Assert.False(closed.Allowed);
        Assert.Contains($"no verdict is known for it (the verdict lookup failed: {error.Message}) and the rule fails closed", closed.Status!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not been scanned", closed.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lookup_abandoned_by_the_caller_is_cancelled_not_answered()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var verdicts = new FakeVerdicts { Throw = new OperationCanceledException(cancelled.Token) };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await new AdmissionController([Scanned(AdmissionMode.Enforce, UnknownVerdictAction.FailOpen)]).ReviewAsync(Body("pod-create.json"), verdicts, cancelled.Token));
    }

    /// <summary>A verdict store that hands back a broken verdict (no policy set): the controller itself fails.</summary>
    private sealed class BrokenVerdicts : IImageVerdictLookup
    {
        public ValueTask<ImageVerdict?> FindAsync(ImageReference image, CancellationToken cancellationToken) =>
            ValueTask.FromResult<ImageVerdict?>(new ImageVerdict { Scanned = true, Digest = "sha256:" + new string('1', 64), SatisfiedPolicies = null! });
    }

    [Fact]
    public async Task An_unexpected_failure_follows_the_rules_fail_open_or_closed_and_is_never_a_500()
    {
        var rule = new AdmissionRule { Name = "release-only", RequiredPolicy = "release", Namespaces = ["prod"] };

        var closed = (await new AdmissionController([rule]).ReviewAsync(Body("pod-create.json"), new BrokenVerdicts())).Response!;
        Assert.Equal("3c4e1f0a-8f5b-4c1e-9a43-5f8c2e7d9b10", closed.Uid);
        Assert.False(closed.Allowed);
        Assert.Equal(503, closed.Status!.Code);
        Assert.StartsWith("The image policy webhook failed: ", closed.Status.Message, StringComparison.Ordinal);
        Assert.EndsWith("Denied because rule 'release-only' fails closed.", closed.Status.Message, StringComparison.Ordinal);

        var open = (await new AdmissionController([rule with { OnUnknownVerdict = UnknownVerdictAction.FailOpen }])
            .ReviewAsync(Body("pod-create.json"), new BrokenVerdicts())).Response!;
        Assert.True(open.Allowed);
        Assert.Null(open.Status);
        Assert.Contains("Admitted because every rule for namespace 'prod' fails open.", Assert.Single(open.Warnings!), StringComparison.Ordinal);
    }
}
