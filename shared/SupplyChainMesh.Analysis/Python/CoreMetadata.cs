using System.Text;

namespace SupplyChainMesh.Analysis.Python;

/// <summary>
/// The fields of Python core metadata (PKG-INFO / METADATA, https://packaging.python.org/specs/core-metadata/) that
/// identify a distribution and its licence. Only the header block is read: the body after the first blank line is the
/// long description.
/// </summary>
internal sealed class CoreMetadata
{
    public string? Name { get; private set; }

    public string? Version { get; private set; }

    public string? LicenseExpression { get; private set; }

    public string? License { get; private set; }

    public List<string> LicenseClassifiers { get; } = [];

    public static CoreMetadata Parse(ReadOnlySpan<byte> text)
    {
        var metadata = new CoreMetadata();
        if (text.StartsWith("\uFEFF"u8)) text = text[3..];
        string? currentKey = null;
        var licenseContinued = false;
        while (!text.IsEmpty)
        {
            var newline = text.IndexOf((byte)'\n');
            var line = newline < 0 ? text : text[..newline];
            text = newline < 0 ? default : text[(newline + 1)..];
            if (!line.IsEmpty && line[^1] == '\r') line = line[..^1];
            if (line.IsEmpty) break;
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                // A continuation line: only a multi-line License matters to us, and it marks a full licence text.
                if (currentKey == "License") licenseContinued = true;
                continue;
            }
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                currentKey = null;
                continue;
            }
            var key = line[..colon];
            var value = Encoding.UTF8.GetString(line[(colon + 1)..].Trim((byte)' ')).Trim();
            currentKey = null;
            if (Ascii.EqualsIgnoreCase(key, "name"u8)) metadata.Name ??= value;
            else if (Ascii.EqualsIgnoreCase(key, "version"u8)) metadata.Version ??= value;
            else if (Ascii.EqualsIgnoreCase(key, "license-expression"u8)) metadata.LicenseExpression ??= value;
            else if (Ascii.EqualsIgnoreCase(key, "license"u8))
            {
                metadata.License ??= value;
                currentKey = "License";
            }
            else if (Ascii.EqualsIgnoreCase(key, "classifier"u8) && value.StartsWith("License :: ", StringComparison.Ordinal))
            {
                metadata.LicenseClassifiers.Add(value);
            }
        }
        if (licenseContinued) metadata.License = null;
        return metadata;
    }

    /// <summary>
    /// License-Expression (PEP 639) first, else a short License field, else the licence classifiers mapped to SPDX ids
    /// where the mapping is unambiguous. "UNKNOWN" (what old setuptools writes) and full licence texts are no licence.
    /// </summary>
    public IReadOnlyList<string> Licenses()
    {
        if (!string.IsNullOrWhiteSpace(LicenseExpression)) return [LicenseExpression];
        if (!string.IsNullOrWhiteSpace(License) && License != "UNKNOWN" && License.Length <= 200) return [License];
        if (LicenseClassifiers.Count == 0) return [];
        var licenses = new List<string>(LicenseClassifiers.Count);
        foreach (var classifier in LicenseClassifiers)
        {
            var last = classifier[(classifier.LastIndexOf(" :: ", StringComparison.Ordinal) + 4)..];
            if (last == "OSI Approved") continue;
            var spdx = ClassifierLicenses.TryGetValue(last, out var id) ? id : last;
            if (!licenses.Contains(spdx)) licenses.Add(spdx);
        }
        return licenses;
    }

    /// <summary>Trove licence classifiers whose SPDX id is not in doubt.</summary>
    private static readonly Dictionary<string, string> ClassifierLicenses = new(StringComparer.Ordinal)
    {
        ["MIT License"] = "MIT",
        ["MIT No Attribution License (MIT-0)"] = "MIT-0",
        ["Apache Software License"] = "Apache-2.0",
        ["ISC License (ISCL)"] = "ISC",
        ["Python Software Foundation License"] = "PSF-2.0",
        ["Mozilla Public License 1.1 (MPL 1.1)"] = "MPL-1.1",
        ["Mozilla Public License 2.0 (MPL 2.0)"] = "MPL-2.0",
        ["GNU General Public License v2 (GPLv2)"] = "GPL-2.0-only",
        ["GNU General Public License v2 or later (GPLv2+)"] = "GPL-2.0-or-later",
        ["GNU General Public License v3 (GPLv3)"] = "GPL-3.0-only",
        ["GNU General Public License v3 or later (GPLv3+)"] = "GPL-3.0-or-later",
        ["GNU Lesser General Public License v2 (LGPLv2)"] = "LGPL-2.0-only",
        ["GNU Lesser General Public License v2 or later (LGPLv2+)"] = "LGPL-2.0-or-later",
        ["GNU Lesser General Public License v3 (LGPLv3)"] = "LGPL-3.0-only",
        ["GNU Lesser General Public License v3 or later (LGPLv3+)"] = "LGPL-3.0-or-later",
        ["GNU Affero General Public License v3"] = "AGPL-3.0-only",
        ["GNU Affero General Public License v3 or later (AGPLv3+)"] = "AGPL-3.0-or-later",
        ["Eclipse Public License 2.0 (EPL-2.0)"] = "EPL-2.0",
        ["The Unlicense (Unlicense)"] = "Unlicense",
        ["Zope Public License"] = "ZPL-2.1",
        ["Boost Software License 1.0 (BSL-1.0)"] = "BSL-1.0",
        ["Universal Permissive License (UPL)"] = "UPL-1.0",
    };
}
