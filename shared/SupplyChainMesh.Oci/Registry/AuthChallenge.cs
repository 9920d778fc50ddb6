using System.Text;

namespace SupplyChainMesh.Oci.Registry;

/// <summary>
/// One <c>WWW-Authenticate</c> challenge: <c>Bearer realm="https://auth.example/token",service="reg",scope="repository:a:pull"</c>.
/// Parameters are RFC 7235 auth-params: token or quoted-string values, where quoted strings may hold commas and escapes.
/// </summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    public string? Scope => Parameters.GetValueOrDefault("scope");

    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses the parameter part of a challenge (what follows the scheme).</summary>
    public static AuthChallenge Parse(string scheme, string? parameters)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var s = parameters ?? "";
        var i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && (s[i] == ',' || char.IsWhiteSpace(s[i]))) i++;
            var keyStart = i;
            while (i < s.Length && s[i] != '=' && s[i] != ',' && !char.IsWhiteSpace(s[i])) i++;
            var key = s[keyStart..i];
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            if (i >= s.Length || s[i] != '=')
            {
                // A token68 (Basic's bare form) or garbage: nothing we need.
                while (i < s.Length && s[i] != ',') i++;
                continue;
            }
            i++;
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            string value;
            if (i < s.Length && s[i] == '"')
            {
                var sb = new StringBuilder();
                i++;
                while (i < s.Length && s[i] != '"')
                {
                    if (s[i] == '\\' && i + 1 < s.Length) i++;
                    sb.Append(s[i]);
                    i++;
                }
                i++; // closing quote (or end)
                value = sb.ToString();
            }
            else
            {
                var valueStart = i;
                while (i < s.Length && s[i] != ',' && !char.IsWhiteSpace(s[i])) i++;
                value = s[valueStart..i];
            }
            if (key.Length > 0) result[key] = value;
        }
        return new AuthChallenge(scheme, result);
    }
}
