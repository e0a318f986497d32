namespace DmaSlip.Ingest.Internal;

/// <summary>A parser of one format. It streams <paramref name="input"/> and accounts for every data line in the context.</summary>
internal interface IFormatParser
{
    void Parse(Stream input, FileContext context);
}
