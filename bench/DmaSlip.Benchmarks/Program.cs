using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/DmaSlip.Benchmarks -- --filter '*'   (BenchmarkDotNet)
// dotnet run -c Release --project bench/DmaSlip.Benchmarks -- <command>     (reproducible bench commands, see docs/PERFORMANCE.md)
if (args.Length > 0 && DmaSlip.Benchmarks.BenchCommands.TryRun(args, out var exit))
{
    return exit;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
