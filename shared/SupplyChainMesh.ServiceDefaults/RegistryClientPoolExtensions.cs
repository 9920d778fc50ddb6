using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Oci.Registry;

namespace SupplyChainMesh.ServiceDefaults;

public static class RegistryClientPoolExtensions
{
    /// <summary>Binds the <c>Registry</c> section (<see cref="RegistrySettings"/>) and registers one
    /// <see cref="RegistryClientPool"/> for the service whose every connection passes the service's
    /// <see cref="OutboundAllowList"/> check (so an event naming an internal host cannot make us connect to it).</summary>
    public static IServiceCollection AddRegistryClientPool(this IServiceCollection services)
    {
        services.AddOptions<RegistrySettings>().BindConfiguration(RegistrySettings.Section);
        services.AddSingleton(sp => new RegistryClientPool(sp.GetRequiredService<IOptions<RegistrySettings>>().Value,
            sp.GetRequiredService<OutboundAllowList>().ConnectAsync));
        return services;
    }
}
