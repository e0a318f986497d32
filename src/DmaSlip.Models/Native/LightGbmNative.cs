using System.Runtime.InteropServices;

namespace DmaSlip.Models.Native;

/// <summary>
/// The subset of LightGBM's C API (<c>c_api.h</c>, v4) the overlay needs. Every entry returns 0 on success and -1 on
/// failure, with the message in <see cref="GetLastError"/>; callers go through <see cref="LightGbmException.Check"/>.
/// The library ships in the <c>LightGBM</c> NuGet package as <c>runtimes/{rid}/native/lib_lightgbm.*</c>.
/// </summary>
internal static unsafe partial class LightGbmNative
{
    private const string Lib = "lib_lightgbm";

    public const int DtypeFloat32 = 0;
    public const int DtypeFloat64 = 1;
    public const int PredictNormal = 0;
    public const int PredictRawScore = 1;
    public const int PredictContrib = 3;

    [LibraryImport(Lib, EntryPoint = "LGBM_GetLastError")]
    public static partial nint GetLastError();

    [LibraryImport(Lib, EntryPoint = "LGBM_DatasetCreateFromMat", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DatasetCreateFromMat(
        void* data, int dataType, int nrow, int ncol, int isRowMajor, string parameters, nint reference, out nint handle);

    [LibraryImport(Lib, EntryPoint = "LGBM_DatasetSetField", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DatasetSetField(nint handle, string fieldName, void* data, int numElement, int type);

    [LibraryImport(Lib, EntryPoint = "LGBM_DatasetFree")]
    public static partial int DatasetFree(nint handle);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterCreate", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterCreate(nint trainData, string parameters, out nint handle);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterUpdateOneIter")]
    public static partial int BoosterUpdateOneIter(nint handle, out int isFinished);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterGetCurrentIteration")]
    public static partial int BoosterGetCurrentIteration(nint handle, out int iteration);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterGetNumFeature")]
    public static partial int BoosterGetNumFeature(nint handle, out int features);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterPredictForMat", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterPredictForMat(
        nint handle, void* data, int dataType, int nrow, int ncol, int isRowMajor, int predictType,
        int startIteration, int numIteration, string parameter, out long outLen, double* outResult);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterSaveModelToString")]
    public static partial int BoosterSaveModelToString(
        nint handle, int startIteration, int numIteration, int featureImportanceType, long bufferLen, out long outLen, byte* outStr);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterLoadModelFromString", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterLoadModelFromString(string modelStr, out int numIterations, out nint handle);

    [LibraryImport(Lib, EntryPoint = "LGBM_BoosterFree")]
    public static partial int BoosterFree(nint handle);
}
