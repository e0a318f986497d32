using System.Runtime.InteropServices;

namespace DmaSlip.Models.Native;

/// <summary>A LightGBM C API call failed; the message is LightGBM's own (<c>LGBM_GetLastError</c>).</summary>
internal sealed class LightGbmException : Exception
{
    public LightGbmException()
    {
    }

    public LightGbmException(string message)
        : base(message)
    {
    }

    public LightGbmException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Throws with LightGBM's last error when <paramref name="rc"/> is non-zero.</summary>
    internal static void Check(int rc, string call)
    {
        if (rc != 0)
        {
            var message = Marshal.PtrToStringUTF8(LightGbmNative.GetLastError()) ?? "unknown error";
            throw new LightGbmException($"{call} failed ({rc}): {message}");
        }
    }
}
