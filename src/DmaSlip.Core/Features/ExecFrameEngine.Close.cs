using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features;

public sealed partial class ExecFrameEngine
{
    private void CloseWindow()
    {
        var calm = _isCalmWindow(_windowStart);
        foreach (var s in _symbols.Values.OrderBy(s => s.Symbol, StringComparer.Ordinal))
        {
            if (s.Active)
            {
                _sink.OnFrame(new ExecFrame(
                    Host,
                    s.Symbol,
                    _windowStart,
                    _options.WindowNs,
                    IngressGapVarianceUs2: s.IngressN >= 2 ? s.IngressM2 / s.IngressN : null,
                    DecisionToSendP50Ns: Quantile(s.DecisionToSend, 0.50),
                    DecisionToSendP95Ns: Quantile(s.DecisionToSend, 0.95),
                    DecisionToSendP99Ns: Quantile(s.DecisionToSend, 0.99),
                    CancelAckDriftNs: Drift(s.CancelAcks, s.CalmCancelMedians, calm),
                    ReplaceAckDriftNs: Drift(s.ReplaceAcks, s.CalmReplaceMedians, calm),
                    BurstIndex: BurstIndex(s.Gaps),
                    PhaseErrorP95Ns: Quantile(s.PhaseErrors, 0.95),
                    Children: s.Children));
            }
            s.ResetWindow();
        }
    }

    private static double? Quantile(List<double> values, double q)
    {
        if (values.Count == 0)
        {
            return null;
        }
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values);
        return ExactQuantile.OfUnsorted(span, q);
    }

    private static double? Drift(List<double> latencies, CalmRing history, bool calm)
    {
        double? median = latencies.Count == 0 ? null : Quantile(latencies, 0.5);
        double? drift = median is { } m && history.Count > 0 ? m - history.Median() : null;
        if (calm && median is { } cm)
        {
            history.Add(cm);
        }
        return drift;
    }

    /// <summary>B = (σ − μ)/(σ + μ) of inter-dispatch gaps (population σ); null with fewer than 2 gaps or all-zero gaps.</summary>
    internal static double? BurstIndex(List<double> gaps)
    {
        if (gaps.Count < 2)
        {
            return null;
        }
        double sum = 0;
        foreach (var g in gaps)
        {
            sum += g;
        }
        var mean = sum / gaps.Count;
        double ss = 0;
        foreach (var g in gaps)
        {
            ss += (g - mean) * (g - mean);
        }
        var sigma = Math.Sqrt(ss / gaps.Count);
        return sigma + mean == 0 ? null : (sigma - mean) / (sigma + mean);
    }

    private sealed class SymbolState(string symbol, int calmHistory)
    {
        public readonly string Symbol = symbol;
        public readonly Dictionary<string, long> Decisions = new(StringComparer.Ordinal);
        public readonly Dictionary<string, long> PendingCancels = new(StringComparer.Ordinal);
        public readonly Dictionary<string, long> PendingReplaces = new(StringComparer.Ordinal);
        public readonly List<double> DecisionToSend = [];
        public readonly List<double> CancelAcks = [];
        public readonly List<double> ReplaceAcks = [];
        public readonly List<double> Gaps = [];
        public readonly List<double> PhaseErrors = [];
        public readonly CalmRing CalmCancelMedians = new(calmHistory);
        public readonly CalmRing CalmReplaceMedians = new(calmHistory);
        public long LastSendTs = long.MinValue;
        public long LastRecvTs = long.MinValue;
        public long LastExchTs;
        public long IngressN;
        public double IngressMean;
        public double IngressM2;
        public long Children;
        public bool Active;

        public void ResetWindow()
        {
            DecisionToSend.Clear();
            CancelAcks.Clear();
            ReplaceAcks.Clear();
            Gaps.Clear();
            PhaseErrors.Clear();
            IngressN = 0;
            IngressMean = IngressM2 = 0;
            Children = 0;
            Active = false;
        }
    }

    /// <summary>The last N calm-window medians; its median is the trailing calm median.</summary>
    private sealed class CalmRing(int capacity)
    {
        private readonly double[] _values = new double[capacity];
        private readonly double[] _scratch = new double[capacity];
        private int _next;

        public int Count { get; private set; }

        public void Add(double v)
        {
            _values[_next] = v;
            _next = (_next + 1) % _values.Length;
            Count = Math.Min(Count + 1, _values.Length);
        }

        public double Median()
        {
            var span = _scratch.AsSpan(0, Count);
            _values.AsSpan(0, Count).CopyTo(span);
            return ExactQuantile.Median(span);
        }
    }
}
