using System.Text;

namespace SupplyChainMesh.Analysis.Alpine;

/// <summary>
/// Parses apk's installed database (<c>lib/apk/db/installed</c>): records separated by blank lines, one
/// <c>K:value</c> field a line (apk-tools' "installed database v2" text format). Only the fields a scanner needs are
/// kept: <c>P</c> name, <c>V</c> version, <c>o</c> origin, <c>A</c> arch, <c>L</c> licence, and the owned files from
/// <c>F</c> (directory) and <c>R</c> (file in the last <c>F</c> directory).
/// </summary>
/// <remarks>
/// Works on the raw bytes and only allocates strings for the fields it keeps: a real database is mostly
/// <c>Z:</c>/<c>a:</c>/<c>M:</c> checksum and mode lines. Bad content is never thrown: a line that is not a field and a
/// record without <c>P:</c> or <c>V:</c> are skipped and described in <see cref="ApkInstalledDatabase.Problems"/>
/// (at most <see cref="MaxProblems"/> of them, so a binary file does not flood the report).
/// </remarks>
public static class ApkInstalledParser
{
    /// <summary>Beyond this many problems in one file only a count is kept.</summary>
    public const int MaxProblems = 20;

    public static ApkInstalledDatabase Parse(ReadOnlySpan<byte> content, bool includeFiles = true)
    {
        var packages = new List<ApkInstalledPackage>();
        var problems = new Problems();
        var record = new RecordBuilder(includeFiles);
        var lineNumber = 0;
        var recordLine = 1;

        while (!content.IsEmpty)
        {
            lineNumber++;
            var newline = content.IndexOf((byte)'\n');
            var line = newline < 0 ? content : content[..newline];
            content = newline < 0 ? [] : content[(newline + 1)..];
            if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];

            if (line.IsEmpty)
            {
                record.Finish(packages, problems, recordLine);
                recordLine = lineNumber + 1;
                continue;
            }
            if (line.Length < 2 || line[1] != (byte)':')
            {
                problems.Add($"line {lineNumber} is not a 'K:value' field; skipped");
                continue;
            }
            record.Field(line[0], line[2..]);
        }
        record.Finish(packages, problems, recordLine);
        return new ApkInstalledDatabase(packages, problems.ToList());
    }

    private sealed class Problems
    {
        private readonly List<string> _list = [];
        private int _dropped;

        public void Add(string problem)
        {
            if (_list.Count < MaxProblems) _list.Add(problem);
            else _dropped++;
        }

        public List<string> ToList()
        {
            if (_dropped > 0) _list.Add($"{_dropped} more problems not listed");
            return _list;
        }
    }

    private sealed class RecordBuilder(bool includeFiles)
    {
        private string? _name;
        private string? _version;
        private string? _origin;
        private string? _arch;
        private string? _license;
        private string _directory = "";
        private List<string>? _files;
        private bool _hasFields;

        public void Field(byte key, ReadOnlySpan<byte> value)
        {
            _hasFields = true;
            switch (key)
            {
                case (byte)'P': _name = Decode(value); break;
                case (byte)'V': _version = Decode(value); break;
                case (byte)'o': _origin = Decode(value); break;
                case (byte)'A': _arch = Decode(value); break;
                case (byte)'L': _license = Decode(value); break;
                case (byte)'F' when includeFiles: _directory = Decode(value).Trim('/'); break;
                case (byte)'R' when includeFiles && !value.IsEmpty:
                    (_files ??= []).Add(_directory.Length == 0 ? Decode(value) : JoinPath(_directory, value));
                    break;
                default: break;
            }
        }

        public void Finish(List<ApkInstalledPackage> packages, Problems problems, int recordLine)
        {
            if (!_hasFields) return;
            if (string.IsNullOrEmpty(_name) || string.IsNullOrEmpty(_version))
            {
                var which = string.IsNullOrEmpty(_name) ? "P:" : "V:";
                problems.Add($"record at line {recordLine}{(_name is { Length: > 0 } ? $" ({_name})" : "")} has no {which} field; skipped");
            }
            else
            {
                packages.Add(new ApkInstalledPackage(_name, _version, NullIfEmpty(_origin), NullIfEmpty(_arch), NullIfEmpty(_license), _files ?? (IReadOnlyList<string>)[]));
            }
            _name = _version = _origin = _arch = _license = null;
            _directory = "";
            _files = null;
            _hasFields = false;
        }

        private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

        private static string Decode(ReadOnlySpan<byte> value) => Encoding.UTF8.GetString(value);

        private static string JoinPath(string directory, ReadOnlySpan<byte> name)
        {
            var max = directory.Length + 1 + Encoding.UTF8.GetMaxCharCount(name.Length);
            Span<char> buffer = max <= 512 ? stackalloc char[512] : new char[max];
            directory.AsSpan().CopyTo(buffer);
            buffer[directory.Length] = '/';
            var written = Encoding.UTF8.GetChars(name, buffer[(directory.Length + 1)..]);
            return new string(buffer[..(directory.Length + 1 + written)]);
        }
    }
}
