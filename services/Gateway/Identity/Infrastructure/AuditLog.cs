using SupplyChainMesh.Gateway.Identity.Model;

namespace SupplyChainMesh.Gateway.Identity.Infrastructure;

/// <summary>Adds audit entries to the same unit of work as the change they describe, so a change is never saved
/// without its record. Never put a secret in <paramref name="detail"/>.</summary>
public static class AuditLog
{
    public static void Record(this IdentityDbContext db, string actor, string action, string target, string? detail = null) =>
        db.Audit.Add(new AuditEntry
        {
            Actor = Clip(actor, 128),
            Action = Clip(action, 64),
            Target = Clip(target, 256),
            Detail = detail is null ? null : Clip(detail, 2048),
        });

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max];
}
