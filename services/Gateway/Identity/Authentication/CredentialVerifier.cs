using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Gateway.Identity.Access;
using SupplyChainMesh.Gateway.Identity.Infrastructure;
using SupplyChainMesh.Gateway.Identity.Model;

namespace SupplyChainMesh.Gateway.Identity.Authentication;

/// <summary>
/// Checks a username with a password or one of the user's API tokens (what <c>docker login</c> and skopeo send as
/// basic auth). Wrong passwords are counted per user, slowed (more with each failure) and lock the account after
/// <see cref="LockoutOptions.MaxFailures"/>; the outcome is audited. Secrets are never logged.
/// </summary>
public sealed partial class CredentialVerifier(
    IdentityDbContext db,
    CallerDirectory directory,
    IPasswordHasher<User> hasher,
    IOptions<IdentityOptions> options,
    TimeProvider clock,
    ILogger<CredentialVerifier> logger)
{
    // Verified against when the user does not exist, so an unknown name costs what a known one does.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<User>().HashPassword(new User { Username = "-" }, Guid.NewGuid().ToString()));

    public enum Outcome
    {
        Success,
        Invalid,
        Locked,
    }

    public sealed record Result(Outcome Outcome, Caller? Caller);

    public async Task<Result> VerifyAsync(string username, string secret, CancellationToken ct)
    {
        var lockout = options.Value.Lockout;
        if (username.Length is 0 or > 128 || secret.Length is 0 or > 1024) return await FailAsync(1, ct);

        if (TokenSecrets.LooksLikeSecret(secret))
        {
            // An API token instead of a password: it must belong to this user. Tokens are 256-bit random, so no
            // lockout is needed against guessing them, and a leaked-token holder cannot lock its owner out.
            var byToken = await directory.FindByTokenAsync(secret, ApiTokenKind.Api, ct);
            if (byToken is not null && string.Equals(byToken.Caller.Name, username, StringComparison.Ordinal)) return new Result(Outcome.Success, byToken.Caller);
            LogTokenRefused(logger, username);
            return await FailAsync(1, ct);
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == username, ct);
        if (user is null || user.Disabled || user.PasswordHash is null)
        {
            hasher.VerifyHashedPassword(new User { Username = username }, DummyHash.Value, secret);
            LogUnknownUser(logger, username);
            return await FailAsync(1, ct);
        }

        var now = clock.GetUtcNow();
        if (user.LockedUntil is { } until && until > now)
        {
            LogLocked(logger, username);
            await Task.Delay(lockout.FailureDelay, ct);
            return new Result(Outcome.Locked, null);
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, secret);
        if (verdict == PasswordVerificationResult.Failed)
        {
            // Counted in the database in one statement, so parallel guesses cannot slip under the limit.
            var lockUntil = now.Add(lockout.Duration);
            var failures = (await db.Database.SqlQuery<int>($"""
                UPDATE identity.users SET "FailedLogins" = "FailedLogins" + 1,
                  "LockedUntil" = CASE WHEN "FailedLogins" + 1 >= {lockout.MaxFailures} THEN {lockUntil} ELSE "LockedUntil" END
                WHERE "Id" = {user.Id} RETURNING "FailedLogins" AS "Value"
                """).ToListAsync(ct)).Single();
            var locked = failures >= lockout.MaxFailures;
            db.Record(username, locked ? "user.locked" : "login.failed", $"user:{username}", $"consecutive failures: {failures}");
            await db.SaveChangesAsync(ct);
            LogWrongPassword(logger, username, failures, locked);
            return await FailAsync(failures, ct);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = hasher.HashPassword(user, secret);
        if (user.FailedLogins != 0 || user.LockedUntil is not null)
        {
            user.FailedLogins = 0;
            user.LockedUntil = null;
        }
        await db.SaveChangesAsync(ct);
        return new Result(Outcome.Success, await directory.ForUserAsync(user, ct));
    }

    private async Task<Result> FailAsync(int failures, CancellationToken ct)
    {
        var delay = options.Value.Lockout.FailureDelay * Math.Clamp(failures, 1, 5);
        await Task.Delay(delay, ct);
        return new Result(Outcome.Invalid, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused for {Username}: unknown, disabled or password-less user")]
    private static partial void LogUnknownUser(ILogger logger, string username);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused for {Username}: the API token is unknown, revoked, expired or not theirs")]
    private static partial void LogTokenRefused(ILogger logger, string username);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused for {Username}: account locked")]
    private static partial void LogLocked(ILogger logger, string username);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused for {Username}: wrong password ({Failures} in a row, locked: {Locked})")]
    private static partial void LogWrongPassword(ILogger logger, string username, int failures, bool locked);
}
