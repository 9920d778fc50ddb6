using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SupplyChainMesh.Gateway.Identity.Model;

namespace SupplyChainMesh.Gateway.Identity.Authentication;

/// <summary>
/// Live tokens seen recently, with their callers, so a request needs no database round trip to authenticate.
/// Any saved change to identity data (a revoked token, a permission, a membership, a user) moves the generation and
/// empties the cache at once in this process; entries also expire after <see cref="TimeToLive"/>, which bounds how
/// long another gateway replica may still accept a token revoked elsewhere.
/// </summary>
public sealed class CallerCache(TimeProvider clock)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(5);
    private const int MaxEntries = 10_000;
    private static long _generation;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(CallerDirectory.TokenCaller Caller, DateTimeOffset? TokenExpiresAt, long Generation, DateTimeOffset CachedUntil);

    /// <summary>Called after identity data changed: every cached caller is stale.</summary>
    public static void Invalidate() => Interlocked.Increment(ref _generation);

    public bool TryGet(string key, out CallerDirectory.TokenCaller? caller, out DateTimeOffset? tokenExpiresAt)
    {
        caller = null;
        tokenExpiresAt = null;
        if (!_entries.TryGetValue(key, out var entry)) return false;
        if (entry.Generation != Volatile.Read(ref _generation) || entry.CachedUntil <= clock.GetUtcNow())
        {
            _entries.TryRemove(key, out _);
            return false;
        }
        caller = entry.Caller;
        tokenExpiresAt = entry.TokenExpiresAt;
        return true;
    }

    /// <summary>Caches a caller loaded at <paramref name="generation"/> (read before the load, so a change that raced
    /// the load makes the entry stale rather than wrong).</summary>
    public void Set(string key, CallerDirectory.TokenCaller caller, DateTimeOffset? tokenExpiresAt, long generation)
    {
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[key] = new Entry(caller, tokenExpiresAt, generation, clock.GetUtcNow().Add(TimeToLive));
    }

    public static long Generation => Volatile.Read(ref _generation);

    /// <summary>EF interceptor: once a save changed grants (permissions, memberships) or changed or removed users,
    /// teams or tokens, every cached caller is stale. After the save, so a load that raced it is already stale. A new
    /// token or user changes no cached answer, so creating one (a docker login's refresh token) keeps the cache.</summary>
    public sealed class Invalidator : SaveChangesInterceptor
    {
        public static readonly Invalidator Instance = new();

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Remember(eventData);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Remember(eventData);
            return ValueTask.FromResult(result);
        }

        public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            Apply(eventData);
            return result;
        }

        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Apply(eventData);
            return ValueTask.FromResult(result);
        }

        // The tracker no longer shows what changed once the save is done: note it before, act after.
        private static readonly ConditionalWeakTable<DbContext, object> Pending = [];
        private static readonly object Marker = new();

        private static void Remember(DbContextEventData eventData)
        {
            if (eventData.Context is not { } context) return;
            var changesGrants = context.ChangeTracker.Entries().Any(e => e.State switch
            {
                EntityState.Added or EntityState.Modified or EntityState.Deleted when e.Entity is Permission or TeamMember => true,
                EntityState.Modified or EntityState.Deleted when e.Entity is User or Team or ApiToken => true,
                _ => false,
            });
            if (changesGrants) Pending.AddOrUpdate(context, Marker);
        }

        private static void Apply(DbContextEventData eventData)
        {
            if (eventData.Context is { } context && Pending.Remove(context)) Invalidate();
        }
    }
}
