namespace SupplyChainMesh.ServiceDefaults.ServiceIdentity;

/// <summary>
/// The robot account a service calls other services as (configuration <c>Identity:Service</c>): <c>Robot</c> (its
/// name), <c>Token</c> (its API token, <c>scm_...</c>; a secret, never logged) and <c>Gateway</c> (the gateway's base
/// URL, default <c>Services:Gateway</c>), which issues the forwarded identity at <c>POST /auth/service-token</c>.
/// Without a token nothing is sent: tests and the open CI stack, whose services do not check identities, keep working.
/// </summary>
public sealed class ServiceIdentityOptions
{
    public const string Section = "Identity:Service";

    public string Robot { get; set; } = "";
    public string Token { get; set; } = "";
    public string Gateway { get; set; } = "";

    /// <summary>How long before its expiry a cached identity is replaced; at most a fifth of its lifetime is used,
    /// so a short-lived one (tests) is still reused.</summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => Token.Length > 0;
}
