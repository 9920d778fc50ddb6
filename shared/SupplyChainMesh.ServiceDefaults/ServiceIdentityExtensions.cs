using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SupplyChainMesh.ServiceDefaults.ServiceIdentity;

namespace SupplyChainMesh.ServiceDefaults;

public static class ServiceIdentityExtensions
{
    /// <summary>The calls of this client carry the service's robot identity (see <see cref="ServiceIdentityOptions"/>).</summary>
    public static IHttpClientBuilder AddServiceIdentity(this IHttpClientBuilder builder)
    {
        var services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(ServiceTokenSource)))
        {
            services.AddOptions<ServiceIdentityOptions>()
                .BindConfiguration(ServiceIdentityOptions.Section)
                .Configure<IConfiguration>((o, configuration) =>
                {
                    if (o.Gateway.Length == 0) o.Gateway = configuration["Services:Gateway"] ?? "";
                })
                .Validate(o => !o.Enabled || (o.Robot.Length > 0 && Uri.TryCreate(o.Gateway, UriKind.Absolute, out _)),
                    "Identity:Service needs Robot and Gateway (or Services:Gateway, an absolute URL) when its Token is set.")
                .ValidateOnStart();
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<ServiceTokenSource>();
            services.AddTransient<ServiceIdentityHandler>();
            services.AddHttpClient(ServiceTokenSource.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        }
        return builder.AddHttpMessageHandler<ServiceIdentityHandler>();
    }
}
