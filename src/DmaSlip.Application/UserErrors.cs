namespace DmaSlip.Application;

/// <summary>An input problem the user can fix (the CLI exits 3).</summary>
internal sealed class InputException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A usage problem not caught by the command-line parser (the CLI exits 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
