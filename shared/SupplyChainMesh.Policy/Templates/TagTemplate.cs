using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace SupplyChainMesh.Policy.Templates;

/// <summary>
/// The promoted tag, built from a template as Docker Trusted Registry did: <c>%n</c> is the source tag and the
/// strftime fields <c>%A %a %w %d %B %b %m %Y %y %H %I %p %M %S %f %Z %j %W</c> render the promotion time in UTC
/// (English names, C locale). <c>%%</c> is strftime's literal percent sign, recognised but rejected because a tag
/// cannot hold '%'. Any other field is an error, found when the
/// template is parsed (at validation), never at promotion.
/// </summary>
public sealed class TagTemplate
{
    /// <summary>Every field letter the template accepts.</summary>
    public const string Fields = "nAawdBbmYyHIpMSfZjW";

    private const int MaxTagLength = 128;
    private static readonly ConcurrentDictionary<string, TagTemplate> Cache = new(StringComparer.Ordinal);
    private static readonly string[] DayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] MonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    // A segment is a literal (Field == '\0') or one field letter.
    private readonly (char Field, string Literal)[] _segments;

    private TagTemplate(string text, (char, string)[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    /// <summary>True when the template uses <c>%n</c>, so it needs a source tag.</summary>
    public bool UsesSourceTag => _segments.Any(s => s.Field == 'n');

    public static TagTemplate Parse(string text) =>
        TryParse(text, out var template, out var errors) ? template! : throw new FormatException(string.Join(" ", errors));

    /// <summary>Parses a template; <paramref name="errors"/> lists every problem (unknown fields, a dangling '%', characters a tag cannot hold).</summary>
    public static bool TryParse(string? text, out TagTemplate? template, out IReadOnlyList<string> errors)
    {
        template = null;
        var problems = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            errors = ["A tag template is required (e.g. '%n' to keep the source tag)."];
            return false;
        }
        if (Cache.TryGetValue(text, out template))
        {
            errors = [];
            return true;
        }
        var segments = new List<(char, string)>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '%')
            {
                if (!IsTagChar(c))
                    problems.Add($"'{c}' at position {i + 1} cannot appear in a tag (letters, digits, '_', '.', '-').");
                literal.Append(c);
                continue;
            }
            if (i + 1 == text.Length)
            {
                problems.Add("The template ends with a lone '%': follow it with a field letter.");
                break;
            }
            var field = text[++i];
            if (field == '%')
            {
                // '%%' is strftime's literal percent sign; the template grammar knows it, but a Docker tag cannot hold '%'.
                problems.Add($"'%%' at position {i} is a literal '%', which a tag cannot hold (letters, digits, '_', '.', '-').");
                continue;
            }
            if (!Fields.Contains(field, StringComparison.Ordinal))
            {
                problems.Add($"Unknown template field '%{field}' at position {i}; known fields are {string.Join(" ", Fields.Select(f => "%" + f))}.");
                continue;
            }
            if (literal.Length > 0)
            {
                segments.Add(('\0', literal.ToString()));
                literal.Clear();
            }
            segments.Add((field, ""));
        }
        if (literal.Length > 0) segments.Add(('\0', literal.ToString()));
        if (problems.Count == 0)
        {
            var candidate = new TagTemplate(text, [.. segments]);
            // The first character of a tag must be a word character: a template starting with '.' or '-' never renders a valid tag.
            if (segments[0].Item1 == '\0' && segments[0].Item2[0] is '.' or '-')
                problems.Add("A tag cannot start with '.' or '-'.");
            else
                template = Cache.GetOrAdd(text, candidate);
        }
        errors = problems;
        return problems.Count == 0;
    }

    /// <summary>Renders the tag for <paramref name="sourceTag"/> at <paramref name="time"/> (converted to UTC).</summary>
    /// <exception cref="InvalidOperationException">The template needs a source tag and there is none, or the result is not a valid tag.</exception>
    public string Render(string? sourceTag, DateTimeOffset time)
    {
        var t = time.UtcDateTime;
        var sb = new StringBuilder(32);
        foreach (var (field, literal) in _segments)
        {
            switch (field)
            {
                case '\0': sb.Append(literal); break;
                case 'n':
                    if (string.IsNullOrEmpty(sourceTag))
                        throw new InvalidOperationException($"Template '{Text}' uses %n but the image has no tag.");
                    sb.Append(sourceTag);
                    break;
                case 'A': sb.Append(DayNames[(int)t.DayOfWeek]); break;
                case 'a': sb.Append(DayNames[(int)t.DayOfWeek].AsSpan(0, 3)); break;
                case 'w': sb.Append((int)t.DayOfWeek); break;
                case 'd': Two(sb, t.Day); break;
                case 'B': sb.Append(MonthNames[t.Month - 1]); break;
                case 'b': sb.Append(MonthNames[t.Month - 1].AsSpan(0, 3)); break;
                case 'm': Two(sb, t.Month); break;
                case 'Y': sb.Append(t.Year.ToString("D4", CultureInfo.InvariantCulture)); break;
                case 'y': Two(sb, t.Year % 100); break;
                case 'H': Two(sb, t.Hour); break;
                case 'I': Two(sb, t.Hour % 12 == 0 ? 12 : t.Hour % 12); break;
                case 'p': sb.Append(t.Hour < 12 ? "AM" : "PM"); break;
                case 'M': Two(sb, t.Minute); break;
                case 'S': Two(sb, t.Second); break;
                case 'f': sb.Append((t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("D6", CultureInfo.InvariantCulture)); break;
                case 'Z': sb.Append("UTC"); break;
                case 'j': sb.Append(t.DayOfYear.ToString("D3", CultureInfo.InvariantCulture)); break;
                case 'W': Two(sb, MondayWeekOfYear(t)); break;
            }
        }
        var tag = sb.ToString();
        if (tag.Length > MaxTagLength)
            throw new InvalidOperationException($"Template '{Text}' renders '{tag}', longer than the {MaxTagLength} characters a tag may have.");
        if (!IsWordChar(tag[0]) || !tag.All(IsTagChar))
            throw new InvalidOperationException($"Template '{Text}' renders '{tag}', which is not a valid tag.");
        return tag;
    }

    /// <summary>strftime's %W: weeks start on Monday; the days before the year's first Monday are week 0.</summary>
    internal static int MondayWeekOfYear(DateTime t)
    {
        var daysSinceMonday = ((int)t.DayOfWeek + 6) % 7;
        return (t.DayOfYear - 1 + 7 - daysSinceMonday) / 7;
    }

    private static void Two(StringBuilder sb, int value)
    {
        if (value < 10) sb.Append('0');
        sb.Append(value);
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool IsTagChar(char c) => IsWordChar(c) || c is '.' or '-';

    public override string ToString() => Text;
}
