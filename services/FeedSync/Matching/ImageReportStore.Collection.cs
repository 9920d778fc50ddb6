using Npgsql;

namespace SupplyChainMesh.FeedSync.Matching;

public sealed partial class ImageReportStore
{
    /// <summary>
    /// Deletes up to <paramref name="limit"/> distinct packages that no inventory row refers to any more (the image was
    /// scanned again with other packages), in one statement; returns how many.
    /// <para>Safe against a scan storing its inventory at the same time, without blocking it:</para>
    /// <list type="bullet">
    /// <item>a package an uncommitted inventory row already refers to is locked by that row's foreign-key check
    /// (<c>FOR KEY SHARE</c>): <c>FOR UPDATE SKIP LOCKED</c> passes over it;</item>
    /// <item>a reference committed after this statement's snapshot was taken is invisible to the <c>NOT EXISTS</c>, but not
    /// to the foreign key's own check (it reads the latest committed rows): the delete fails with a foreign-key
    /// violation, nothing is deleted, and the next collection tries again (reported here as 0);</item>
    /// <item>a package deleted just before a scan's inventory refers to it makes that scan's insert fail its foreign-key
    /// check or come up short (<see cref="SaveScanAsync"/> checks the count): the scan's transaction rolls back and the
    /// message's retry stores the package again.</item>
    /// </list>
    /// No interleaving leaves an inventory row pointing at a deleted package.
    /// </summary>
    public async Task<int> CollectUnreferencedPackagesAsync(int limit, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"""
            DELETE FROM {S}.packages k WHERE k.package_id IN (
                SELECT c.package_id FROM {S}.packages c
                WHERE NOT EXISTS (SELECT 1 FROM {S}.image_packages p WHERE p.package_id = c.package_id)
                LIMIT $1
                FOR UPDATE SKIP LOCKED)
            """);
        cmd.Parameters.AddWithValue(limit);
        try
        {
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // A scan committed a reference to one of them after the snapshot: it is in use again.
            return 0;
        }
    }
}
