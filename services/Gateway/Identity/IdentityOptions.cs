namespace SupplyChainMesh.Gateway.Identity;

/// <summary>The <c>Identity</c> configuration section.</summary>
public sealed class IdentityOptions
{
    public const string Section = "Identity";

    public BootstrapAdminOptions BootstrapAdmin { get; set; } = new();
    public SeedOptions Seed { get; set; } = new();
    public LockoutOptions Lockout { get; set; } = new();
    public TokenSigningOptions TokenSigning { get; set; } = new();
    public OidcOptions Oidc { get; set; } = new();
    public ForwardingOptions Forwarding { get; set; } = new();
}

public sealed class BootstrapAdminOptions
{
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
}

public sealed class LockoutOptions
{
    /// <summary>Consecutive wrong passwords before the account is locked.</summary>
    public int MaxFailures { get; set; } = 5;
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>Added to every failed sign-in, times the failure count (capped at 5), to slow guessing.</summary>
    public TimeSpan FailureDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}

public sealed class TokenSigningOptions
{
    /// <summary>PEM private key (RSA or EC P-256) that signs registry tokens and forwarded identities.</summary>
    public string KeyPath { get; set; } = "";
    /// <summary>PEM certificate chain of that key, leaf first; sent in the tokens' <c>x5c</c> header.</summary>
    public string CertificatePath { get; set; } = "";
    /// <summary>The <c>iss</c> the registry expects (<c>auth.token.issuer</c>).</summary>
    public string Issuer { get; set; } = "scm-gateway";
    /// <summary>The registry's <c>auth.token.service</c>; tokens are issued only for it.</summary>
    public string Service { get; set; } = "scm-registry";
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);
    /// <summary>A token minted this recently for the same subject and the same granted access is handed out again
    /// (saves the signature); zero mints every time. Keep it well under <see cref="TokenLifetime"/>.</summary>
    public TimeSpan ReuseWindow { get; set; } = TimeSpan.FromSeconds(20);
}

public sealed class OidcOptions
{
    /// <summary>When set, bearer JWTs from this identity provider are accepted as well as API tokens.</summary>
    public string Authority { get; set; } = "";
    public string Audience { get; set; } = "";
    public bool RequireHttpsMetadata { get; set; } = true;
    /// <summary>The claim naming the user (matched to a local user of that name for its teams).</summary>
    public string UsernameClaim { get; set; } = "preferred_username";
    /// <summary>The claim listing group names; a group that names a local team gives that team's permissions.</summary>
    public string GroupsClaim { get; set; } = "groups";
}

public sealed class ForwardingOptions
{
    /// <summary>Audience of the <c>X-SCM-Identity</c> JWT the gateway sends to services.</summary>
    public string Audience { get; set; } = "scm-services";
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Lifetime of a service's own identity (<c>POST /auth/service-token</c>), which the service caches: it
    /// bounds how long a revoked robot's calls still pass (plus the services' 30 s clock skew).</summary>
    public TimeSpan ServiceTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class SeedOptions
{
    public List<string> Organizations { get; set; } = [];
    public List<SeedTeam> Teams { get; set; } = [];
    public List<SeedUser> Users { get; set; } = [];
    public List<SeedRobot> Robots { get; set; } = [];
}

public sealed class SeedTeam
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    /// <summary><c>PATTERN=LEVEL</c> entries, e.g. <c>dev/*=read-write</c>.</summary>
    public List<string> Permissions { get; set; } = [];
}

public sealed class SeedUser
{
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    public bool IsAdmin { get; set; }
    public List<string> Teams { get; set; } = [];
}

public sealed class SeedRobot
{
    public string Name { get; set; } = "";
    /// <summary>The robot's API token (<c>scm_...</c>), given so that the service using it can be configured with it;
    /// only its hash is stored.</summary>
    public string Token { get; set; } = "";
    public List<string> Teams { get; set; } = [];
}
