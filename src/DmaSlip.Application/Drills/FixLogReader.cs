using System.Globalization;

namespace DmaSlip.Application.Drills;

/// <summary>One FIX message of a simulator log, with the fields the drills check.</summary>
internal readonly record struct FixMessage(string Host, long LogNs, char MsgType, string ClOrdId, string Parent, long TransactNs, char ExecType, long CumQty, long LastQty);

/// <summary>
/// Minimal reader of the simulator's FIX 4.4 logs (<c>fix/HOST.fix.log</c>: <c>YYYYMMDD-HH:MM:SS.nnnnnnnnn : msg</c>,
/// SOH-delimited) for the drills' order accounting. The full parser with quarantine is the ingest issue's; the drills
/// only need tags 35, 11, 583, 60, 150, 14, 32 and fail loudly on a line they cannot read.
/// </summary>
internal static class FixLogReader
{
    public static IEnumerable<FixMessage> ReadDir(string fixDir)
    {
        foreach (var file in Directory.EnumerateFiles(fixDir, "*.fix.log").Order(StringComparer.Ordinal))
        {
            var host = Path.GetFileName(file)[..^".fix.log".Length];
            var line = 0;
            foreach (var text in File.ReadLines(file))
            {
                line++;
                if (text.Length == 0)
                {
                    continue;
                }
                var sep = text.IndexOf(" : ", StringComparison.Ordinal);
                if (sep < 0)
                {
                    throw new InvalidDataException($"{file}:{line}: no ' : ' after the timestamp");
                }
                var logNs = ParseTime(text.AsSpan(0, sep), file, line);
                char msgType = '?', execType = '\0';
                string clOrd = "", parent = "";
                long transact = 0, cum = 0, last = 0;
                foreach (var field in text[(sep + 3)..].Split('\u0001', StringSplitOptions.RemoveEmptyEntries))
                {
                    var eq = field.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        continue;
                    }
                    var v = field[(eq + 1)..];
                    switch (field[..eq])
                    {
                        case "35": msgType = v[0]; break;
                        case "11": clOrd = v; break;
                        case "583": parent = v; break;
                        case "60": transact = ParseTime(v, file, line); break;
                        case "150": execType = v[0]; break;
                        case "14": cum = long.Parse(v, CultureInfo.InvariantCulture); break;
                        case "32": last = long.Parse(v, CultureInfo.InvariantCulture); break;
                        default: break;
                    }
                }
                yield return new FixMessage(host, logNs, msgType, clOrd, parent, transact, execType, cum, last);
            }
        }
    }

    /// <summary>YYYYMMDD-HH:MM:SS.nnnnnnnnn (UTC) to Unix ns.</summary>
    internal static long ParseTime(ReadOnlySpan<char> s, string file, int line)
    {
        if (s.Length < 17 || !DateTime.TryParseExact(s[..17], "yyyyMMdd-HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
        {
            throw new InvalidDataException($"{file}:{line}: bad FIX time '{s.ToString()}'");
        }
        long frac = 0;
        if (s.Length > 18)
        {
            var digits = s[18..];
            frac = long.Parse(digits, CultureInfo.InvariantCulture);
            for (var i = digits.Length; i < 9; i++)
            {
                frac *= 10;
            }
        }
        return (dt.Ticks - DateTime.UnixEpoch.Ticks) * 100 + frac;
    }
}
