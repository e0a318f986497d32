using DmaSlip.Cli;

// DuckDB's library loads while the command line is parsed (most commands open a store)
DmaSlip.Storage.DmaSlipStore.LoadNativeLibraryAhead();
return CliApp.Run(args, Console.Out, Console.Error);
