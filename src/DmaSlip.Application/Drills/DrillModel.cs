using System.Globalization;

namespace DmaSlip.Application.Drills;

/// <summary>How a criterion's value is compared with its threshold.</summary>
internal enum CriterionOp
{
    AtMost,
    Below,
    AtLeast,
    Above,
}

/// <summary>One pass/fail criterion of a drill: the measured value, the threshold and the comparison.</summary>
internal sealed record DrillCriterion(string Name, double Value, double Threshold, string Op, bool Passed)
{
    public static DrillCriterion Check(string name, double value, CriterionOp op, double threshold)
    {
        var passed = op switch
        {
            CriterionOp.AtMost => value <= threshold,
            CriterionOp.Below => value < threshold,
            CriterionOp.AtLeast => value >= threshold,
            _ => value > threshold,
        };
        var text = op switch
        {
            CriterionOp.AtMost => "<=",
            CriterionOp.Below => "<",
            CriterionOp.AtLeast => ">=",
            _ => ">",
        };
        // NaN (nothing measured) never passes: a drill that could not measure must not report success.
        return new DrillCriterion(name, value, threshold, text, passed && !double.IsNaN(value));
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}: {Value:0.####} {Op} {Threshold:0.####} {(Passed ? "pass" : "FAIL")}");
}

/// <summary>The outcome of one drill: passed when every criterion passed; evidence holds the numbers behind it.</summary>
internal sealed record DrillResult(string Name, bool Passed, IReadOnlyList<DrillCriterion> Criteria, IReadOnlyDictionary<string, object?> Evidence)
{
    public static DrillResult Of(string name, IReadOnlyList<DrillCriterion> criteria, IReadOnlyDictionary<string, object?> evidence) =>
        new(name, criteria.Count > 0 && criteria.All(c => c.Passed), criteria, evidence);
}

/// <summary>What a drill runs with: the seed (common random numbers) and a scratch folder for simulator output.</summary>
internal sealed record DrillContext(int Seed, string WorkDir, TextWriter Log);

/// <summary>A failure drill (DESIGN §8): runs a scenario, checks its criteria, returns evidence.</summary>
internal interface IDrill
{
    string Name { get; }

    string Description { get; }

    DrillResult Run(DrillContext context);
}
