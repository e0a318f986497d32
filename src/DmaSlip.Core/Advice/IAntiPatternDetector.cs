namespace DmaSlip.Core.Advice;

/// <summary>One anti-pattern check (DESIGN §9): a pure function of the stored facts that names the hosts and numbers behind each finding.</summary>
internal interface IAntiPatternDetector
{
    /// <summary>The <see cref="AntiPatternKinds"/> value of what this detector finds.</summary>
    string Kind { get; }

    IEnumerable<Finding> Detect(AdviceInputs inputs);
}
