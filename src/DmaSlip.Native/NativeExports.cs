using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;

namespace DmaSlip.Native;

/// <summary>
/// The C ABI of <c>dmaslip.h</c> over <see cref="RegimeController"/>. A controller handle is a <see cref="GCHandle"/>
/// to the managed controller (it keeps the object alive until <c>dmaslip_controller_destroy</c>). Nothing here lets an
/// exception cross into C: create catches and reports through <c>dmaslip_last_error</c>; update and policy cannot
/// throw (the controller's update never throws, and they only read fields).
/// </summary>
internal static unsafe class NativeExports
{
    /// <summary>Last error text of this thread, UTF-8 and NUL-terminated in native memory; null when none.</summary>
    [ThreadStatic]
    private static byte* _lastError;

    [UnmanagedCallersOnly(EntryPoint = "dmaslip_controller_create")]
    public static nint Create(byte* configJson)
    {
        try
        {
            RegimeControllerConfig config;
            if (configJson == null)
            {
                config = RegimeControllerConfig.Default;
            }
            else
            {
                var json = Marshal.PtrToStringUTF8((nint)configJson) ?? "";
                var parsed = RegimeControllerConfigJson.TryParse(json, out var errors);
                if (parsed is null)
                {
                    SetError("invalid controller config: " + string.Join("; ", errors));
                    return 0;
                }
                config = parsed;
            }
            var handle = GCHandle.Alloc(new RegimeController(config));
            SetError(null);
            return GCHandle.ToIntPtr(handle);
        }
        catch (Exception ex)
        {
            SetError(ex.Message);
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "dmaslip_controller_update")]
    public static int Update(nint controller, long tsNs, double dfi, double djs, double pso, int stormRecurrence, double deadlinePressure)
    {
        if (controller == 0)
        {
            SetError("dmaslip_controller_update: controller is NULL");
            return -1;
        }
        var c = Unsafe.As<RegimeController>(GCHandle.FromIntPtr(controller).Target)!;
        var signals = new RegimeSignals(dfi, djs, pso, stormRecurrence, deadlinePressure);
        c.Update(tsNs, in signals);
        return (int)c.Current;
    }

    [UnmanagedCallersOnly(EntryPoint = "dmaslip_controller_policy")]
    public static int Policy(nint controller, NativePolicy* output)
    {
        if (controller == 0 || output == null)
        {
            SetError(controller == 0 ? "dmaslip_controller_policy: controller is NULL" : "dmaslip_controller_policy: out is NULL");
            return -1;
        }
        var c = Unsafe.As<RegimeController>(GCHandle.FromIntPtr(controller).Target)!;
        *output = NativePolicy.From(in c.Policy);
        return 0;
    }

    [UnmanagedCallersOnly(EntryPoint = "dmaslip_controller_destroy")]
    public static void Destroy(nint controller)
    {
        if (controller != 0)
        {
            GCHandle.FromIntPtr(controller).Free();
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "dmaslip_last_error")]
    public static byte* LastError() =>
        _lastError != null ? _lastError : (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference("\0"u8));

    private static void SetError(string? message)
    {
        if (_lastError != null)
        {
            NativeMemory.Free(_lastError);
            _lastError = null;
        }
        if (string.IsNullOrEmpty(message))
        {
            return;
        }
        var n = System.Text.Encoding.UTF8.GetByteCount(message);
        var buffer = (byte*)NativeMemory.Alloc((nuint)n + 1);
        System.Text.Encoding.UTF8.GetBytes(message, new Span<byte>(buffer, n));
        buffer[n] = 0;
        _lastError = buffer;
    }
}

/// <summary>The C <c>dmaslip_policy</c>: same fields, order and natural alignment (48 bytes on x86-64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativePolicy
{
    public double ReplaceRateCapPerS;
    public double PacingFactor;
    public int MaxChildBurst;
    public long MinSpacingNs;
    public int CatchUpMode;
    public int Routing;
    public int Completion;

    /// <summary>The ABI's routing has two values: any (0), or low-pressure paths (1; validated-only in SAFE_DMA_CONTAIN).</summary>
    public static NativePolicy From(in ExecutionPolicy p) => new()
    {
        ReplaceRateCapPerS = p.ReplaceRateCapPerSecond,
        PacingFactor = p.PacingFactor,
        MaxChildBurst = p.MaxChildBurst,
        MinSpacingNs = p.MinSpacingNs,
        CatchUpMode = p.CatchUpMode == Core.Domain.CatchUpMode.Bounded ? 1 : 0,
        Routing = p.Routing == RoutingPreference.Any ? 0 : 1,
        Completion = p.Completion == CompletionMode.Conservative ? 1 : 0,
    };
}
