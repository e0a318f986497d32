using DmaSlip.Storage;

namespace DmaSlip.Cli.Internal;

internal static class TableArgs
{
    /// <summary>Table names from <c>--tables a,b c</c>; null = all. Unknown names are a usage error.</summary>
    public static string[]? Parse(string[]? values)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }
        var names = values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        foreach (var n in names)
        {
            if (!Tables.TryFind(n, out _))
            {
                throw new UsageException($"unknown table '{n}'. Known tables: {string.Join(", ", Tables.All.Select(t => t.Name))}.");
            }
        }
        return names;
    }
}
