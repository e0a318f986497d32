using System.Security.Cryptography;
using System.Text;
using DmaSlip.Core.Domain;

namespace DmaSlip.Ingest;

/// <summary>
/// The host config fingerprint (DESIGN §5 change-aware recalibration): the first 16 hex digits of the SHA-256 of
/// <c>kernel=K\ndriver=D\ndriver_version=V\niommu_mode=M\n</c>. Any change of kernel, NIC driver, its version or the
/// IOMMU mode changes it. The simulator and <c>collect</c> use the same function.
/// </summary>
internal static class HostFingerprint
{
    public static string Compute(string kernel, string driver, string driverVersion, IommuMode mode)
    {
        var text = $"kernel={kernel}\ndriver={driver}\ndriver_version={driverVersion}\niommu_mode={mode.Name()}\n";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>IOMMU mode the kernel command line asks for, or null when it says nothing (the Kconfig default applies).</summary>
    public static IommuMode? ModeFromCmdline(string cmdline)
    {
        IommuMode? mode = null;
        foreach (var arg in cmdline.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (arg)
            {
                case "iommu=pt" or "iommu.passthrough=1" or "intel_iommu=off" or "amd_iommu=off" or "iommu=off":
                    return IommuMode.Passthrough;
                case "iommu.strict=1" or "intel_iommu=strict":
                    mode = IommuMode.Strict;
                    break;
                case "iommu.strict=0":
                    mode ??= IommuMode.Lazy;
                    break;
                default:
                    if (arg.StartsWith("intel_iommu=", StringComparison.Ordinal) && arg.Contains("strict", StringComparison.Ordinal))
                    {
                        mode = IommuMode.Strict;
                    }
                    break;
            }
        }
        return mode;
    }
}
