using SupplyChainMesh.Gateway.Identity.Authentication;

namespace SupplyChainMesh.Gateway.Apis;

public static class GatewayPolicies
{
    /// <summary>Identity management: the admin role.</summary>
    public const string Admin = "admin";

    public static void Configure(Microsoft.AspNetCore.Authorization.AuthorizationOptions options) =>
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireClaim(CallerClaims.Admin, "true"));
}
