using System.Globalization;
using DmaSlip.Application.Advice;
using DmaSlip.Storage;
using Model = DmaSlip.Reports.Model;

namespace DmaSlip.Application.Reporting;

internal static partial class ReportLoader
{
    /// <summary>
    /// Advice computed from the store by the same engine as <c>dmaslip advise</c>, when no advice file is given and
    /// there is something to advise on (host frames or parent outcomes); null otherwise.
    /// </summary>
    internal static Model.AdviceReport? LiveAdvice(DmaSlipStore store)
    {
        if (store.Count("host_frames") == 0 && store.Count("parent_outcomes") == 0)
        {
            return null;
        }
        var a = AdviceRunner.Run(store, null);
        var mitigations = a.Mitigations.Select(m => new Model.Mitigation(m.Rank, m.Title,
            Join(m.Evidence) + (m.GainBasis.Length > 0 ? (m.Evidence.Count > 0 ? "; " : "") + "gain: " + m.GainBasis : ""),
            m.ExpectedGainBps, [.. m.Pools.Concat(m.Hosts).Distinct(StringComparer.Ordinal)])).ToList();
        var findings = a.AntiPatterns.Select(f => new Model.AntiPattern(f.Kind.Replace('_', ' '),
            f.Evidence.Count > 0 ? $"{f.Message} ({Join(f.Evidence)})" : f.Message, f.Hosts, f.Severity)).ToList();
        return new Model.AdviceReport(mitigations, findings);
    }

    private static string Join(IReadOnlyDictionary<string, object?> evidence) =>
        string.Join("; ", evidence.Select(kv => $"{kv.Key} {Show(kv.Value)}"));

    private static string Show(object? v) => v switch
    {
        null => "–",
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        float f => f.ToString("G4", CultureInfo.InvariantCulture),
        string s => s,
        System.Collections.IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Show)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
