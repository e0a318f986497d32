using System.CommandLine;
using DmaSlip.Storage;

namespace DmaSlip.Cli;

/// <summary>Builds the <c>dmaslip</c> command tree and runs it, mapping failures to exit codes.</summary>
internal static class CliApp
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("DmaSlip: find, price and contain execution slippage caused by IOMMU flush storms on trading hosts.");
        root.Options.Add(CommonOptions.Db);
        root.Options.Add(CommonOptions.Json);
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }
            stderr.WriteLine("Run 'dmaslip --help' (or 'dmaslip COMMAND --help') for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is InputException or StoreUnavailableException or InvalidDataException or Fleet.Resilience.BrokerUnreachableException)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return ExitCodes.Input;
        }
        catch (Exception ex)
        {
            // nothing unhandled reaches the user: one line, exit 3 (the trace only when asked for)
            stderr.WriteLine($"error: {Describe(ex)}");
            if (Environment.GetEnvironmentVariable("DMASLIP_DEBUG") == "1")
            {
                stderr.WriteLine(ex.ToString());
            }
            return ExitCodes.Input;
        }
    }

    /// <summary>One line for an exception no command turned into an input or usage error.</summary>
    internal static string Describe(Exception ex)
    {
        while (ex is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && ex.InnerException is not null)
        {
            ex = ex.InnerException!;
        }
        var what = ex switch
        {
            UnauthorizedAccessException => "permission denied",
            DirectoryNotFoundException or FileNotFoundException => "not found",
            IOException => "I/O error",
            OperationCanceledException => "cancelled",
            _ => "failed (" + ex.GetType().Name + ")",
        };
        var message = ex.Message.ReplaceLineEndings(" ").Trim();
        return $"{what}: {message}";
    }
}
