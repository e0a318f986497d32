using System.Xml.Linq;
using DmaSlip.Testing;

namespace DmaSlip.Cli.Tests;

/// <summary>
/// The dependency rules of docs/ARCHITECTURE.md, read from every project file: libraries point inward to Core, the
/// application layer sits between the libraries and the CLI, nothing but the CLI's own tests compiles against the CLI.
/// </summary>
public sealed class ProjectReferenceRulesTests
{
    /// <summary>What each src project may reference (compile-time). A new project must be added here and to the doc.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["DmaSlip.Core"] = [],
        ["DmaSlip.Controller"] = [], // Core's controller sources packed as a NuGet package (compiled in, no reference)
        ["DmaSlip.Native"] = ["DmaSlip.Controller"],
        ["DmaSlip.Storage"] = ["DmaSlip.Core"],
        ["DmaSlip.Ingest"] = ["DmaSlip.Core"],
        ["DmaSlip.Simulation"] = ["DmaSlip.Core"],
        ["DmaSlip.Models"] = ["DmaSlip.Core"],
        ["DmaSlip.Reports"] = ["DmaSlip.Core"],
        ["DmaSlip.Fleet"] = ["DmaSlip.Core", "DmaSlip.Ingest"], // the live frame source runs Ingest's samplers; replay parses recorded files with Ingest
        ["DmaSlip.Application"] = ["DmaSlip.Core", "DmaSlip.Storage", "DmaSlip.Ingest", "DmaSlip.Simulation", "DmaSlip.Models", "DmaSlip.Reports"],
        ["DmaSlip.Service"] = ["DmaSlip.Core", "DmaSlip.Storage", "DmaSlip.Fleet", "DmaSlip.Application"],
        ["DmaSlip.Cli"] = ["DmaSlip.Core", "DmaSlip.Storage", "DmaSlip.Ingest", "DmaSlip.Simulation", "DmaSlip.Models", "DmaSlip.Reports",
            "DmaSlip.Fleet", "DmaSlip.Application", "DmaSlip.Service"],
    };

    [Fact]
    public void Every_src_project_references_only_what_its_layer_allows()
    {
        var problems = Projects("src").SelectMany(p => Violations(p.Project, p.Refs)).ToList();
        Assert.True(problems.Count == 0, "references that break the rules: " + string.Join("; ", problems));
        Assert.Equal(Allowed.Keys.Order(StringComparer.Ordinal), Projects("src").Select(p => p.Project).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Only_the_cli_tests_compile_against_the_cli_and_nothing_compiles_against_the_tests()
    {
        var problems = new List<string>();
        foreach (var (project, refs) in Projects("tests").Concat(Projects("bench")))
        {
            foreach (var r in refs)
            {
                // Running the built executable as a user does (ReferenceOutputAssembly="false") is allowed to all.
                if (r.Name == "DmaSlip.Cli" && r.Compiles && project != "DmaSlip.Cli.Tests")
                {
                    problems.Add($"{project} compiles against the CLI");
                }
                if (r.Name.EndsWith(".Tests", StringComparison.Ordinal))
                {
                    problems.Add($"{project} → {r.Name}");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("; ", problems));
    }

    [Fact]
    public void A_library_reaching_up_a_layer_or_a_project_without_a_rule_is_reported()
    {
        Assert.Equal(["DmaSlip.Storage → DmaSlip.Application"], Violations("DmaSlip.Storage", [new Reference("DmaSlip.Application", true)]));
        Assert.Single(Violations("DmaSlip.NewThing", []));
        Assert.Empty(Violations("DmaSlip.Application", [new Reference("DmaSlip.Models", true)]));
    }

    private static IEnumerable<string> Violations(string project, IReadOnlyList<Reference> refs) =>
        !Allowed.TryGetValue(project, out var allowed)
            ? [$"{project} has no rule: add it to the table here and in docs/ARCHITECTURE.md"]
            : refs.Where(r => !allowed.Contains(r.Name, StringComparer.Ordinal)).Select(r => $"{project} → {r.Name}").ToList();

    private sealed record Reference(string Name, bool Compiles);

    private static IEnumerable<(string Project, IReadOnlyList<Reference> Refs)> Projects(string folder) =>
        Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, folder), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => (Path.GetFileNameWithoutExtension(p), (IReadOnlyList<Reference>)XDocument.Load(p).Descendants("ProjectReference")
                .Select(e => new Reference(Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')),
                    !string.Equals((string?)e.Attribute("ReferenceOutputAssembly") ?? (string?)e.Element("ReferenceOutputAssembly"), "false", StringComparison.OrdinalIgnoreCase)))
                .ToList()));
}
