using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SupplyChainMesh.Persistence.Sagas;

public static class DbUpdateExceptionExtensions
{
    /// <summary>PostgreSQL's 23505: another transaction inserted the same key first.</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>A lost optimistic race or a lost first insert: both are cured by running the message again.</summary>
    public static bool IsConcurrencyConflict(this Exception exception) =>
        exception is DbUpdateConcurrencyException || (exception is DbUpdateException db && db.IsUniqueViolation());
}
