namespace DmaSlip.Application.Drills;

/// <summary><c>dmaslip drill</c>'s work (and the demo's drills stage).</summary>
internal static class DrillRunner
{
    /// <summary>Runs each drill in its own work folder (a temp folder, deleted afterwards, unless given).</summary>
    internal static IReadOnlyList<DrillResult> RunAll(IReadOnlyList<IDrill> drills, int seed, string? workDir, TextWriter log)
    {
        var temp = workDir is null;
        var dir = workDir ?? Directory.CreateTempSubdirectory("dmaslip-drill-").FullName;
        try
        {
            var results = new List<DrillResult>();
            foreach (var d in drills)
            {
                var ctx = new DrillContext(seed, Path.Combine(dir, d.Name), log);
                Directory.CreateDirectory(ctx.WorkDir);
                try
                {
                    results.Add(d.Run(ctx));
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // A drill that cannot run has failed; say why in its evidence instead of aborting the others.
                    results.Add(DrillResult.Of(d.Name, [DrillCriterion.Check("ran", 0, CriterionOp.AtLeast, 1)],
                        new Dictionary<string, object?> { ["error"] = ex.GetType().Name + ": " + ex.Message }));
                }
            }
            return results;
        }
        finally
        {
            if (temp)
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>The JSON shape of <c>dmaslip drill --json</c> (and the demo's drills.json, which the report reads).</summary>
    internal static object Json(IReadOnlyList<DrillResult> results) => new
    {
        drills = results.Select(r => new
        {
            name = r.Name,
            passed = r.Passed,
            criteria = r.Criteria.Select(c => new { name = c.Name, value = c.Value, threshold = c.Threshold, op = c.Op, passed = c.Passed }),
            evidence = r.Evidence,
        }),
    };
}
