using System.Text;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Maven;

/// <summary>
/// A Maven version ordered as Maven's <c>ComparableVersion</c> orders it. The text splits into items at <c>.</c>,
/// at <c>-</c> (which opens a sub-list, so <c>1-1</c> &lt; <c>1.1</c>) and at every change between digits and letters.
/// Numbers compare numerically and beat strings and sub-lists; known qualifiers order
/// alpha (a) &lt; beta (b) &lt; milestone (m) &lt; rc = cr &lt; snapshot &lt; "" = ga = final = release &lt; sp,
/// and unknown qualifiers come after sp in case-insensitive lexical order. Trailing zeros and empty qualifiers are
/// trimmed from each list, so <c>1</c> == <c>1.0</c> == <c>1.0.0</c> == <c>1-ga</c>. The single letters a, b and
/// m only mean alpha, beta and milestone when a digit follows (<c>1a1</c> is 1-alpha-1, <c>1a</c> is qualifier "a").
/// Every string is a Maven version; parsing never fails.
/// </summary>
public sealed class MavenVersion : IComparable<MavenVersion>, IEquatable<MavenVersion>
{
    private static readonly string[] Qualifiers = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
    private const int ReleaseIndex = 5;

    private readonly ListItem _items;

    private MavenVersion(string value, ListItem items)
    {
        Value = value;
        _items = items;
        Canonical = items.ToString();
    }

    /// <summary>The text as given.</summary>
    public string Value { get; }

    /// <summary>Maven's canonical form: equal versions have equal canonical forms.</summary>
    public string Canonical { get; }

    public static MavenVersion Parse(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var text = version.ToLowerInvariant();
        var root = new ListItem();
        var list = root;
        var stack = new Stack<ListItem>();
        stack.Push(list);
        var isDigit = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '.' or '-')
            {
                list.Add(i == start ? NumberItem.Zero : ParseItem(isDigit, text[start..i]));
                start = i + 1;
                if (c == '-')
                {
                    var sub = new ListItem();
                    list.Add(sub);
                    list = sub;
                    stack.Push(list);
                }
            }
            else if (char.IsAsciiDigit(c))
            {
                if (!isDigit && i > start)
                {
                    list.Add(new StringItem(text[start..i], followedByDigit: true));
                    start = i;
                    var sub = new ListItem();
                    list.Add(sub);
                    list = sub;
                    stack.Push(list);
                }
                isDigit = true;
            }
            else
            {
                if (isDigit && i > start)
                {
                    list.Add(ParseItem(true, text[start..i]));
                    start = i;
                    var sub = new ListItem();
                    list.Add(sub);
                    list = sub;
                    stack.Push(list);
                }
                isDigit = false;
            }
        }
        if (text.Length > start) list.Add(ParseItem(isDigit, text[start..]));
        while (stack.Count > 0) stack.Pop().Normalize();
        return new MavenVersion(version, root);
    }

    public static int Compare(string left, string right) => Parse(left).CompareTo(Parse(right));

    public int CompareTo(MavenVersion? other) => other is null ? 1 : _items.CompareTo(other._items);

    public bool Equals(MavenVersion? other) => other is not null && Canonical == other.Canonical;

    public override bool Equals(object? obj) => obj is MavenVersion other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Canonical);

    public override string ToString() => Value;

    public static bool operator ==(MavenVersion? left, MavenVersion? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(MavenVersion? left, MavenVersion? right) => !(left == right);

    public static bool operator <(MavenVersion left, MavenVersion right) => left is null ? right is not null : left.CompareTo(right) < 0;

    public static bool operator <=(MavenVersion left, MavenVersion right) => left is null || left.CompareTo(right) <= 0;

    public static bool operator >(MavenVersion left, MavenVersion right) => left is not null && left.CompareTo(right) > 0;

    public static bool operator >=(MavenVersion left, MavenVersion right) => left is null ? right is null : left.CompareTo(right) >= 0;

    private static Item ParseItem(bool isDigit, string text) =>
        isDigit ? new NumberItem(text.TrimStart('0')) : new StringItem(text, followedByDigit: false);

    /// <summary>Maven's comparableQualifier: the index of a known qualifier, else "7-" + the qualifier.</summary>
    private static int CompareQualifiers(string a, string b)
    {
        var ia = Array.IndexOf(Qualifiers, a);
        var ib = Array.IndexOf(Qualifiers, b);
        if (ia >= 0 && ib >= 0) return ia.CompareTo(ib);
        if (ia >= 0) return -1;
        if (ib >= 0) return 1;
        return Math.Sign(string.CompareOrdinal(a, b));
    }

    private abstract class Item
    {
        public abstract bool IsNull { get; }

        /// <summary>Compares with another item; <paramref name="other"/> null stands for an absent item.</summary>
        public abstract int CompareTo(Item? other);
    }

    /// <summary>A number of any size, kept as its digits without leading zeros ("" is zero).</summary>
    private sealed class NumberItem(string digits) : Item
    {
        public static readonly NumberItem Zero = new(string.Empty);

        public string Digits { get; } = digits;

        public override bool IsNull => Digits.Length == 0;

        public override int CompareTo(Item? other) => other switch
        {
            null => IsNull ? 0 : 1,
            NumberItem n => SemanticVersion.CompareNumbers(Digits, n.Digits),
            _ => 1, // 1.1 > 1-sp and 1.1 > 1-1
        };

        public override string ToString() => Digits.Length == 0 ? "0" : Digits;
    }

    private sealed class StringItem : Item
    {
        public StringItem(string value, bool followedByDigit)
        {
            if (followedByDigit && value.Length == 1)
            {
                value = value[0] switch { 'a' => "alpha", 'b' => "beta", 'm' => "milestone", _ => value };
            }
            Value = value switch { "ga" or "final" or "release" => "", "cr" => "rc", _ => value };
        }

        public string Value { get; }

        public override bool IsNull => Value.Length == 0;

        public override int CompareTo(Item? other) => other switch
        {
            null => CompareQualifiers(Value, Qualifiers[ReleaseIndex]), // 1-rc < 1, 1-sp > 1
            StringItem s => CompareQualifiers(Value, s.Value),
            _ => -1, // 1.any < 1.1 and 1.any < 1-1
        };

        public override string ToString() => Value;
    }

    private sealed class ListItem : Item
    {
        private readonly List<Item> _items = [];

        public override bool IsNull => _items.Count == 0;

        public void Add(Item item) => _items.Add(item);

        /// <summary>Drops trailing nulls (0, "", empty lists), looking past trailing sub-lists.</summary>
        public void Normalize()
        {
            for (var i = _items.Count - 1; i >= 0; i--)
            {
                var last = _items[i];
                if (last.IsNull) _items.RemoveAt(i);
                else if (last is not ListItem) break;
            }
        }

        public override int CompareTo(Item? other)
        {
            switch (other)
            {
                case null:
                    return _items.Count == 0 ? 0 : _items[0].CompareTo(null);
                case NumberItem:
                    return -1; // 1-1 < 1.0.x
                case StringItem:
                    return 1; // 1-1 > 1-sp
                case ListItem list:
                    var count = Math.Max(_items.Count, list._items.Count);
                    for (var i = 0; i < count; i++)
                    {
                        var l = i < _items.Count ? _items[i] : null;
                        var r = i < list._items.Count ? list._items[i] : null;
                        var result = l is null ? (r is null ? 0 : -r.CompareTo(null)) : l.CompareTo(r);
                        if (result != 0) return result;
                    }
                    return 0;
                default:
                    throw new InvalidOperationException("unknown Maven version item");
            }
        }

        public override string ToString()
        {
            var sb = new StringBuilder();
            foreach (var item in _items)
            {
                if (sb.Length > 0) sb.Append(item is ListItem ? '-' : '.');
                sb.Append(item);
            }
            return sb.ToString();
        }
    }
}
