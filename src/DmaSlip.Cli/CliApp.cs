using System.CommandLine;
using DmaSlip.Storage;

namespace DmaSlip.Cli;

/// <summary>Builds the <c>dmaslip</c> command tree and runs it, mapping failures to exit codes.</summary>
public static class CliApp
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
        catch (Exception ex) when (ex is InputException or StoreUnavailableException)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return ExitCodes.Input;
        }
    }
}
