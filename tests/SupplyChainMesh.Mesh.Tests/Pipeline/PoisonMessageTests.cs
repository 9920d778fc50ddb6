using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Pipeline;

/// <summary>A message that can never be handled goes, after the retries, to the endpoint's <c>_error</c> queue with
/// its exception, instead of blocking the queue or vanishing.</summary>
[Collection(PipelineHosts.Promoter)]
public sealed class PoisonMessageTests
{
    [Fact]
    public async Task A_PolicySatisfied_without_an_image_ends_in_the_promotion_error_queue()
    {
        var bus = await BackingServices.FreshVirtualHostAsync("poison");
        await using var host = await PipelineHosts.PromoterAsync(bus);
        var messageId = Guid.NewGuid();
        var body = $$$"""
            {"messageId":"{{{messageId}}}","messageType":["urn:message:SupplyChainMesh.Contracts:PolicySatisfied"],
             "message":{"image":null,"policyId":"{{{Guid.NewGuid()}}}","policyName":"p","targetRepository":"qa/app","targetTag":"latest","action":"copy","fingerprint":"f"}}
            """;
        var factory = new ConnectionFactory { Uri = new Uri(bus) };
        await using var connection = await factory.CreateConnectionAsync();
        await WaitForExchangeAsync(connection, "promotion-saga");
        await using (var channel = await connection.CreateChannelAsync())
        {
            var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = messageId.ToString(), Persistent = true };
            await channel.BasicPublishAsync("promotion-saga", "", false, properties, Encoding.UTF8.GetBytes(body));
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            await using var channel = await connection.CreateChannelAsync();
            BasicGetResult? got;
            try
            {
                got = await channel.BasicGetAsync("promotion-saga_error", autoAck: false);
            }
            catch (OperationInterruptedException)
            {
                continue; // the error queue is made with the first fault
            }
            // Unacknowledged messages of earlier runs go back to the queue when the channel closes.
            for (; got is not null; got = await channel.BasicGetAsync("promotion-saga_error", autoAck: false))
            {
                if (got.BasicProperties.MessageId != messageId.ToString()) continue;
                await channel.BasicAckAsync(got.DeliveryTag, false);
                var header = got.BasicProperties.Headers!["MT-Fault-ExceptionType"];
                var exceptionType = header is byte[] bytes ? Encoding.UTF8.GetString(bytes) : header?.ToString();
                Assert.False(string.IsNullOrEmpty(exceptionType));
                return;
            }
        }
        Assert.Fail("The poison message did not reach promotion-saga_error within 60 s.");
    }

    private static async Task WaitForExchangeAsync(IConnection connection, string exchange)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                await channel.ExchangeDeclarePassiveAsync(exchange);
                return;
            }
            catch (OperationInterruptedException)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"The exchange {exchange} was not declared by the host.");
    }
}
