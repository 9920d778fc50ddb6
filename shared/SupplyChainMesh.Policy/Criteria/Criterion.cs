using System.Text.Json.Serialization;
using SupplyChainMesh.Policy.Validation;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>
/// One condition of a promotion policy. All of a policy's criteria must hold for it to be satisfied.
/// In JSON a criterion is an object with a <c>kind</c> discriminator (<c>{"kind":"tag","operator":"startsWith","value":"release-"}</c>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(TagCriterion), TagCriterion.KindName)]
[JsonDerivedType(typeof(VulnerabilityCountCriterion), VulnerabilityCountCriterion.KindName)]
[JsonDerivedType(typeof(MaxCvssCriterion), MaxCvssCriterion.KindName)]
[JsonDerivedType(typeof(KevCriterion), KevCriterion.KindName)]
[JsonDerivedType(typeof(EpssCriterion), EpssCriterion.KindName)]
[JsonDerivedType(typeof(FixAgeCriterion), FixAgeCriterion.KindName)]
[JsonDerivedType(typeof(ComponentCriterion), ComponentCriterion.KindName)]
[JsonDerivedType(typeof(LicenseCriterion), LicenseCriterion.KindName)]
[JsonDerivedType(typeof(FeedFreshnessCriterion), FeedFreshnessCriterion.KindName)]
[JsonDerivedType(typeof(PushedWithinCriterion), PushedWithinCriterion.KindName)]
public abstract record Criterion
{
    /// <summary>Every kind the JSON accepts, for error messages.</summary>
    public static readonly IReadOnlyList<string> Kinds =
    [
        TagCriterion.KindName, VulnerabilityCountCriterion.KindName, MaxCvssCriterion.KindName, KevCriterion.KindName,
        EpssCriterion.KindName, FixAgeCriterion.KindName, ComponentCriterion.KindName, LicenseCriterion.KindName,
        FeedFreshnessCriterion.KindName, PushedWithinCriterion.KindName,
    ];

    [JsonIgnore]
    public abstract string Kind { get; }

    public abstract CriterionResult Evaluate(EvaluationContext context);

    /// <summary>Adds a problem per bad field, keyed under <paramref name="field"/> (e.g. <c>criteria[2]</c>).</summary>
    public abstract void Validate(string field, ValidationErrors errors);

    /// <summary>A short human description (<c>tag starts with "release-"</c>).</summary>
    public abstract string Describe();
}
