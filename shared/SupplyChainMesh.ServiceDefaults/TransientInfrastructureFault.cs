using System.Data.Common;
using System.Net.Sockets;

namespace SupplyChainMesh.ServiceDefaults;

/// <summary>
/// Whether a consumer failed because a server it needs was away (the database restarting, a connection refused or
/// timed out) rather than because of the message. Only these are worth waiting out: a bad message fails the same way
/// every time and belongs in the error queue soon.
/// </summary>
public static class TransientInfrastructureFault
{
    public static bool Matches(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DbException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(Matches):
                    return true;
            }
        }
        return false;
    }
}
