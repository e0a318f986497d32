using System.Text;
using DmaSlip.Core.Domain;

namespace DmaSlip.Ingest.Canonical;

/// <summary>
/// Lookups over <see cref="CanonicalSchema"/> that Ingest needs: a table by file name, and a table by its CSV header.
/// </summary>
internal static class CanonicalTables
{
    private static readonly Dictionary<string, (string Table, Type Row)> ByHeader =
        CanonicalSchema.All.Where(t => t.Name != "truth_host_frames").ToDictionary(t => string.Join(",", CanonicalSchema.Columns(t.RowType)), t => (t.Name, t.RowType));

    /// <summary>The table whose column list equals this CSV header line (comma separated, optional quotes), or null.</summary>
    public static (string Table, Type Row)? MatchHeader(ReadOnlySpan<byte> line)
    {
        if (line.Length > 2000 || line.IndexOf((byte)',') < 0)
        {
            return null;
        }
        var text = Encoding.UTF8.GetString(line).Replace("\"", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return ByHeader.TryGetValue(text, out var t) ? t : null;
    }

    public static (string Table, Type Row)? ByName(string table) =>
        CanonicalSchema.All.FirstOrDefault(t => t.Name.Equals(table, StringComparison.OrdinalIgnoreCase)) is { } r ? (r.Name, r.RowType) : null;
}
