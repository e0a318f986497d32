using System.Runtime.InteropServices;

namespace DmaSlip.Models.Native;

/// <summary>Owns a LightGBM <c>DatasetHandle</c>; freed exactly once, also on finalization.</summary>
internal sealed class DatasetSafeHandle : SafeHandle
{
    public DatasetSafeHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    internal DatasetSafeHandle(nint handle)
        : this() => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => LightGbmNative.DatasetFree(handle) == 0;
}

/// <summary>Owns a LightGBM <c>BoosterHandle</c>; freed exactly once, also on finalization.</summary>
internal sealed class BoosterSafeHandle : SafeHandle
{
    public BoosterSafeHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    internal BoosterSafeHandle(nint handle)
        : this() => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => LightGbmNative.BoosterFree(handle) == 0;
}
