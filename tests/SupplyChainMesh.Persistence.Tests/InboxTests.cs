using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyChainMesh.Persistence.Inbox;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Persistence.Tests;

public sealed record NoteWritten(Guid NoteId, string Text);

public sealed class Note
{
    public long Id { get; set; }
    public Guid NoteId { get; set; }
    public string Text { get; set; } = "";
}

public sealed class NoteDbContext(DbContextOptions<NoteDbContext> options) : DbContext(options), IInboxDbContext
{
    public DbSet<Note> Notes => Set<Note>();

    DbContext IInboxDbContext.DbContext => this;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema("notes");
        modelBuilder.AddInbox();
        modelBuilder.Entity<Note>().ToTable("notes");
    }
}

/// <summary>A consumer with a side effect that is not naturally idempotent: it appends a row.</summary>
public sealed class NoteConsumer(NoteDbContext db) : IConsumer<NoteWritten>
{
    public Task Consume(ConsumeContext<NoteWritten> context)
    {
        db.Notes.Add(new Note { NoteId = context.Message.NoteId, Text = context.Message.Text });
        return Task.CompletedTask;
    }
}

/// <summary>The inbox on a real broker and database: a redelivered message (same MessageId) changes nothing twice.</summary>
public sealed class InboxTests
{
    [Fact]
    public async Task A_redelivered_message_is_acknowledged_without_a_second_effect()
    {
        var cs = await BackingServices.FreshDatabaseAsync("inbox");
        await using (var db = new NoteDbContext(new DbContextOptionsBuilder<NoteDbContext>().UseNpgsql(cs).Options))
            await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync();

        LogContext.ConfigureCurrentLogContext(NullLoggerFactory.Instance);
        var rabbit = await BackingServices.RabbitMqUriAsync();
        var queue = "notes-" + Guid.NewGuid().ToString("N")[..8];
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDbContext<NoteDbContext>(o => o.UseNpgsql(cs));
        builder.Services.AddScoped<IInboxDbContext>(sp => sp.GetRequiredService<NoteDbContext>());
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<NoteConsumer>().Endpoint(e => e.Name = queue);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(rabbit));
                cfg.UseConsumeFilter(typeof(InboxFilter<>), context);
                cfg.ConfigureEndpoints(context);
            });
        });
        using var host = builder.Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IBus>();

        var messageId = NewId.NextGuid();
        var noteId = Guid.NewGuid();
        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queue}"));
        // The same message delivered three times (a broker redelivery or a publisher retry keeps its MessageId).
        for (var i = 0; i < 3; i++)
            await endpoint.Send(new NoteWritten(noteId, "hello"), ctx => ctx.MessageId = messageId);
        // A different message with the same content is a new fact and is applied.
        await endpoint.Send(new NoteWritten(noteId, "hello"));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        int notes = 0, processed = 0;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = new NoteDbContext(new DbContextOptionsBuilder<NoteDbContext>().UseNpgsql(cs).Options);
            notes = await db.Notes.CountAsync(n => n.NoteId == noteId);
            processed = await db.Set<ProcessedMessage>().CountAsync();
            if (processed == 2) break;
            await Task.Delay(100);
        }
        await Task.Delay(1000); // let any straggling duplicate finish
        await using (var db = new NoteDbContext(new DbContextOptionsBuilder<NoteDbContext>().UseNpgsql(cs).Options))
        {
            notes = await db.Notes.CountAsync(n => n.NoteId == noteId);
            processed = await db.Set<ProcessedMessage>().CountAsync();
        }
        Assert.Equal(2, processed);
        Assert.Equal(2, notes);
        await host.StopAsync();
    }
}
