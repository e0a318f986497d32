using System.Buffers.Binary;
using System.Text;

namespace DmaSlip.Fleet.Spool;

/// <summary>
/// The on-disk half of the spool: <c>spool.log</c> holds length-prefixed, checksummed records in send order;
/// <c>spool.head</c> holds how many of them have been sent (or dropped). Writes go to the OS page cache (no fsync):
/// the spool survives an agent crash or restart, not a power loss (docs/FLEET.md).
/// </summary>
internal sealed class SpoolLog : IDisposable
{
    private const int RecordHeader = 8; // u32 length, u32 FNV-1a checksum
    private readonly string _logPath;
    private readonly string _headPath;
    private FileStream _log;
    private readonly FileStream _head;
    private readonly byte[] _headBuf = new byte[8];

    public long Head { get; private set; }

    public long Total { get; private set; }

    public long TornRecords { get; private set; }

    private SpoolLog(string dir)
    {
        System.IO.Directory.CreateDirectory(dir);
        _logPath = Path.Combine(dir, "spool.log");
        _headPath = Path.Combine(dir, "spool.head");
        _log = new FileStream(_logPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        _head = new FileStream(_headPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
    }

    /// <summary>Opens the spool in <paramref name="dir"/> and returns the records not yet sent, in order.</summary>
    public static SpoolLog Open(string dir, out List<SpoolEntry> pending)
    {
        var log = new SpoolLog(dir);
        pending = log.Recover();
        return log;
    }

    private List<SpoolEntry> Recover()
    {
        var head = 0L;
        if (_head.Length >= 8)
        {
            _head.Position = 0;
            _head.ReadExactly(_headBuf);
            head = BinaryPrimitives.ReadInt64LittleEndian(_headBuf);
        }
        var pending = new List<SpoolEntry>();
        var header = new byte[RecordHeader];
        long index = 0, good = 0;
        _log.Position = 0;
        while (true)
        {
            var start = _log.Position;
            if (_log.Length - start < RecordHeader)
            {
                break;
            }
            _log.ReadExactly(header);
            var len = BinaryPrimitives.ReadInt32LittleEndian(header);
            var sum = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            if (len < 0 || _log.Length - _log.Position < len)
            {
                break;
            }
            var body = new byte[len];
            _log.ReadExactly(body);
            if (Fnv1a(body) != sum || !TryDecode(body, out var entry))
            {
                break;
            }
            if (index >= head)
            {
                pending.Add(entry!);
            }
            index++;
            good = _log.Position;
        }
        if (good < _log.Length)
        {
            // A torn tail (crash mid-write) or garbage: everything before it is intact and kept.
            TornRecords++;
            _log.SetLength(good);
        }
        _log.Position = _log.Length;
        Head = Math.Min(head, index);
        Total = index;
        return pending;
    }

    public void Append(SpoolEntry entry)
    {
        var body = Encode(entry);
        Span<byte> header = stackalloc byte[RecordHeader];
        BinaryPrimitives.WriteInt32LittleEndian(header, body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Fnv1a(body));
        _log.Write(header);
        _log.Write(body);
        _log.Flush();
        Total++;
    }

    /// <summary>Marks the oldest <paramref name="count"/> pending records as sent (or dropped).</summary>
    public void Advance(int count, IReadOnlyCollection<SpoolEntry> remaining, long compactBytes)
    {
        Head += count;
        if (Head == Total)
        {
            _log.SetLength(0);
            _log.Position = 0;
            Head = Total = 0;
        }
        else if (_log.Length > compactBytes && Head * 2 >= Total)
        {
            Rewrite(remaining);
        }
        BinaryPrimitives.WriteInt64LittleEndian(_headBuf, Head);
        _head.Position = 0;
        _head.Write(_headBuf);
        _head.Flush();
    }

    private void Rewrite(IReadOnlyCollection<SpoolEntry> remaining)
    {
        var tmp = _logPath + ".tmp";
        _log.Dispose();
        var old = _logPath + ".old";
        using (var fresh = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            _log = fresh; // Append writes to whichever stream is current
            Total = 0;
            foreach (var e in remaining)
            {
                Append(e);
            }
        }
        // Head is written as 0 right after; between the rename and that write a crash would resend the
        // remaining records once more, which the broker's Nats-Msg-Id dedup absorbs.
        File.Move(_logPath, old, overwrite: true);
        File.Move(tmp, _logPath);
        File.Delete(old);
        _log = new FileStream(_logPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        _log.Position = _log.Length;
        Head = 0;
    }

    public void Dispose()
    {
        _log.Dispose();
        _head.Dispose();
    }

    private static byte[] Encode(SpoolEntry e)
    {
        var s = Encoding.UTF8.GetBytes(e.Subject);
        var id = Encoding.UTF8.GetBytes(e.MessageId);
        var body = new byte[2 + s.Length + 2 + id.Length + e.Payload.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(body, (ushort)s.Length);
        s.CopyTo(body, 2);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2 + s.Length), (ushort)id.Length);
        id.CopyTo(body, 4 + s.Length);
        e.Payload.CopyTo(body, 4 + s.Length + id.Length);
        return body;
    }

    private static bool TryDecode(byte[] body, out SpoolEntry? entry)
    {
        entry = null;
        if (body.Length < 4)
        {
            return false;
        }
        int sl = BinaryPrimitives.ReadUInt16LittleEndian(body);
        if (body.Length < 4 + sl)
        {
            return false;
        }
        int il = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(2 + sl));
        if (body.Length < 4 + sl + il)
        {
            return false;
        }
        entry = new SpoolEntry(
            Encoding.UTF8.GetString(body, 2, sl),
            Encoding.UTF8.GetString(body, 4 + sl, il),
            body[(4 + sl + il)..]);
        return true;
    }

    /// <summary>FNV-1a 32: detects torn or garbled records (not an integrity guarantee against tampering).</summary>
    private static uint Fnv1a(ReadOnlySpan<byte> data)
    {
        var h = 2166136261u;
        foreach (var b in data)
        {
            h = (h ^ b) * 16777619u;
        }
        return h;
    }
}
