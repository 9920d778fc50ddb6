using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SupplyChainMesh.ServiceDefaults;

/// <summary>An outbound address named in configuration: its setting's name, and a URL or a registry <c>host[:port]</c>.</summary>
public readonly record struct OutboundTarget(string Setting, string Address, bool IsRegistry);

/// <summary>Configured outbound addresses (registry routes, feed URLs) must be on the <see cref="OutboundAllowList"/>:
/// a host off the list stops the service at start-up, with every offending setting named and logged.</summary>
public static partial class OutboundHostsValidation
{
    public static OptionsBuilder<T> ValidateOutboundHosts<T>(this OptionsBuilder<T> options, Func<T, IEnumerable<OutboundTarget>> targets)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Services.AddSingleton<IValidateOptions<T>>(sp => new Validator<T>(
            options.Name, sp.GetRequiredService<OutboundAllowList>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<OutboundAllowList>(), targets));
        return options.ValidateOnStart();
    }

    private sealed class Validator<T>(string? name, OutboundAllowList allowList, ILogger logger, Func<T, IEnumerable<OutboundTarget>> targets)
        : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options)
        {
            if (name is not null && name != optionsName) return ValidateOptionsResult.Skip;
            var failures = new List<string>();
            foreach (var target in targets(options))
            {
                var refusal = target.IsRegistry
                    ? allowList.RefusalForRegistry(target.Address)
                    : Uri.TryCreate(target.Address, UriKind.Absolute, out var url) ? allowList.RefusalFor(url) : $"'{target.Address}' is not an absolute URL.";
                if (refusal is null) continue;
                LogRefused(logger, target.Setting, refusal);
                failures.Add($"{target.Setting}: {refusal} Add the host to {OutboundAllowList.Section}.");
            }
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbound address refused in configuration {Setting}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string setting, string reason);
}
