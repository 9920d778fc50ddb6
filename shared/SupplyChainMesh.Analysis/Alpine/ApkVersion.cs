using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Alpine;

/// <summary>
/// Alpine's apk version ordering (apk-tools' version.c, Gentoo-style): <c>digits{.digits}[letter]{_suffix[N]}[-rN]</c>.
/// Numbers compare numerically, except that a component after a dot starting with 0 compares as a fraction
/// (<c>1.05</c> &lt; <c>1.5</c>); a single lowercase letter may follow the digits (<c>1.2a</c> &gt; <c>1.2</c>);
/// suffixes <c>_alpha</c> &lt; <c>_beta</c> &lt; <c>_pre</c> &lt; <c>_rc</c> sort before the plain version and
/// <c>_cvs</c> &lt; <c>_svn</c> &lt; <c>_git</c> &lt; <c>_hg</c> &lt; <c>_p</c> after it; <c>-rN</c> is the package
/// revision. Versions apk calls invalid still order as apk orders them (token by token until the first bad one).
/// </summary>
public readonly struct ApkVersion : IComparable<ApkVersion>, IEquatable<ApkVersion>
{
    internal const string SchemeName = "apk";

    private readonly string _text;

    private ApkVersion(string text) => _text = text;

    public static ApkVersion Parse(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (!IsValid(version)) throw new VersionFormatException(SchemeName, version, "does not follow digits{.digits}[letter]{_suffix[N]}[-rN]");
        return new ApkVersion(version);
    }

    public static bool TryParse(string? version, out ApkVersion result)
    {
        result = default;
        if (version is null || !IsValid(version)) return false;
        result = new ApkVersion(version);
        return true;
    }

    /// <summary>apk_version_validate: the whole string tokenises to its end.</summary>
    public static bool IsValid(ReadOnlySpan<char> version)
    {
        if (version.IsEmpty) return false;
        var reader = new Tokenizer(version);
        while (reader.Type is not (TokenType.End or TokenType.Invalid)) reader.Next();
        return reader.Type == TokenType.End;
    }

    /// <summary>apk_version_compare: never fails; an invalid tail ends the comparison where apk would stop.</summary>
    public static int Compare(ReadOnlySpan<char> left, ReadOnlySpan<char> right)
    {
        var a = new Tokenizer(left);
        var b = new Tokenizer(right);
        long av = 0, bv = 0;
        while (a.Type == b.Type && a.Type is not (TokenType.End or TokenType.Invalid) && av == bv)
        {
            av = a.Next();
            bv = b.Next();
        }
        if (av != bv) return av < bv ? -1 : 1;
        if (a.Type == b.Type) return 0;
        // Equal so far: the longer version is newer unless what it has left is a pre-release suffix.
        if (a.Type == TokenType.Suffix && a.PeekSuffixValue() < 0) return -1;
        if (b.Type == TokenType.Suffix && b.PeekSuffixValue() < 0) return 1;
        return a.Type > b.Type ? -1 : a.Type < b.Type ? 1 : 0;
    }

    public int CompareTo(ApkVersion other) => Compare(_text, other._text);

    public bool Equals(ApkVersion other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is ApkVersion other && Equals(other);

    public override int GetHashCode()
    {
        // Hash the token values: equal versions tokenise alike.
        var hash = new HashCode();
        var reader = new Tokenizer(_text);
        while (reader.Type is not (TokenType.End or TokenType.Invalid))
        {
            var type = reader.Type;
            hash.Add(reader.Next());
            hash.Add(type);
        }
        return hash.ToHashCode();
    }

    public override string ToString() => _text ?? string.Empty;

    public static bool operator ==(ApkVersion left, ApkVersion right) => left.Equals(right);

    public static bool operator !=(ApkVersion left, ApkVersion right) => !left.Equals(right);

    public static bool operator <(ApkVersion left, ApkVersion right) => left.CompareTo(right) < 0;

    public static bool operator <=(ApkVersion left, ApkVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >(ApkVersion left, ApkVersion right) => left.CompareTo(right) > 0;

    public static bool operator >=(ApkVersion left, ApkVersion right) => left.CompareTo(right) >= 0;

    /// <summary>Token kinds in apk's order; the order matters: a version that ends (End) is older than one that goes on.</summary>
    private enum TokenType
    {
        Invalid = -1,
        DigitOrZero,
        Digit,
        Letter,
        Suffix,
        SuffixNumber,
        RevisionNumber,
        End,
    }

    /// <summary>Walks a version token by token: <see cref="Type"/> is the kind of the token <see cref="Next"/> reads.</summary>
    private ref struct Tokenizer
    {
        private static readonly string[] PreSuffixes = ["alpha", "beta", "pre", "rc"];
        private static readonly string[] PostSuffixes = ["cvs", "svn", "git", "hg", "p"];

        private ReadOnlySpan<char> _rest;

        public Tokenizer(ReadOnlySpan<char> text)
        {
            _rest = text;
            Type = TokenType.Digit;
        }

        public TokenType Type { get; private set; }

        /// <summary>The value of a suffix token without consuming it (negative for pre-release suffixes).</summary>
        public readonly long PeekSuffixValue()
        {
            var copy = this;
            return copy.Next();
        }

        public long Next()
        {
            if (_rest.IsEmpty)
            {
                Type = TokenType.End;
                return 0;
            }
            long value = 0;
            var i = 0;
            var next = TokenType.Invalid;
            switch (Type)
            {
                case TokenType.DigitOrZero when _rest[0] == '0':
                    // A dot component with leading zeros compares as a fraction: more zeros, smaller.
                    while (i < _rest.Length && _rest[i] == '0') i++;
                    next = TokenType.Digit;
                    value = -i;
                    break;
                case TokenType.DigitOrZero:
                case TokenType.Digit:
                case TokenType.SuffixNumber:
                case TokenType.RevisionNumber:
                    while (i < _rest.Length && char.IsAsciiDigit(_rest[i]))
                    {
                        value = value * 10 + (_rest[i] - '0');
                        i++;
                        if (i >= 18) return Fail();
                    }
                    break;
                case TokenType.Letter:
                    value = _rest[i++];
                    break;
                case TokenType.Suffix:
                    var found = false;
                    for (var k = 0; k < PreSuffixes.Length && !found; k++)
                    {
                        if (_rest.StartsWith(PreSuffixes[k], StringComparison.Ordinal))
                        {
                            value = k - PreSuffixes.Length;
                            i = PreSuffixes[k].Length;
                            found = true;
                        }
                    }
                    for (var k = 0; k < PostSuffixes.Length && !found; k++)
                    {
                        if (_rest.StartsWith(PostSuffixes[k], StringComparison.Ordinal))
                        {
                            value = k;
                            i = PostSuffixes[k].Length;
                            found = true;
                        }
                    }
                    if (!found) return Fail();
                    break;
                default:
                    return Fail();
            }
            _rest = _rest[i..];
            if (_rest.IsEmpty) Type = TokenType.End;
            else if (next != TokenType.Invalid) Type = next;
            else Advance();
            return value;
        }

        private long Fail()
        {
            Type = TokenType.Invalid;
            return -1;
        }

        /// <summary>Decides the kind of the next token from its first character and consumes separators.</summary>
        private void Advance()
        {
            var n = TokenType.Invalid;
            var c = _rest[0];
            if (Type is TokenType.Digit or TokenType.DigitOrZero && char.IsAsciiLetterLower(c))
            {
                n = TokenType.Letter;
            }
            else if (Type == TokenType.Letter && char.IsAsciiDigit(c))
            {
                n = TokenType.Digit;
            }
            else if (Type == TokenType.Suffix && char.IsAsciiDigit(c))
            {
                n = TokenType.SuffixNumber;
            }
            else
            {
                switch (c)
                {
                    case '.':
                        n = TokenType.DigitOrZero;
                        break;
                    case '_':
                        n = TokenType.Suffix;
                        break;
                    case '-':
                        if (_rest.Length > 1 && _rest[1] == 'r')
                        {
                            n = TokenType.RevisionNumber;
                            _rest = _rest[1..];
                        }
                        break;
                }
                _rest = _rest[1..];
            }
            // Tokens only move forward (digits, letter, suffixes, revision), with three allowed steps back.
            if (n < Type && !((n == TokenType.DigitOrZero && Type == TokenType.Digit) ||
                              (n == TokenType.Suffix && Type == TokenType.SuffixNumber) ||
                              (n == TokenType.Digit && Type == TokenType.Letter)))
            {
                n = TokenType.Invalid;
            }
            Type = n;
        }
    }
}
