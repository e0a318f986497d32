namespace DmaSlip.Storage.Internal;

internal static class Naming
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
