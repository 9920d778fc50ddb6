using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChainMesh.Cli.Api;

/// <summary>
/// <c>~/.config/scm/config.json</c>: the server and the API token <c>scm login</c> stored. The token is a secret: the
/// file is created readable by its owner only (0600, folder 0700) before anything is written into it.
/// </summary>
internal sealed record ScmConfig
{
    public const string FileName = "config.json";

    public string? Server { get; init; }

    public string? Token { get; init; }

    public static async Task<ScmConfig> LoadAsync(string directory, CancellationToken ct)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return new ScmConfig();
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync(stream, ScmConfigJson.Default.ScmConfig, ct).ConfigureAwait(false) ?? new ScmConfig();
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{path} is not valid JSON: {ex.Message}", ex);
        }
    }

    public async Task SaveAsync(string directory, CancellationToken ct)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(directory, FileName);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(path, options))
        {
            await JsonSerializer.SerializeAsync(stream, this, ScmConfigJson.Default.ScmConfig, ct).ConfigureAwait(false);
        }
        // UnixCreateMode applies only to a new file: tighten one that existed with wider rights.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScmConfig))]
internal sealed partial class ScmConfigJson : JsonSerializerContext;
