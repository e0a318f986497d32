namespace DmaSlip.Core.Domain;

/// <summary>
/// Top-of-book quote (<c>market_quotes</c>). Prices in currency units; a size of 0 means the side is absent.
/// <see cref="Seq"/> orders quotes sharing (symbol, venue, ts_ns) in source order, making the key natural.
/// </summary>
public readonly record struct Quote(
    long TsNs,
    string Symbol,
    string Venue,
    double BidPx,
    long BidSize,
    double AskPx,
    long AskSize,
    long? ExchangeTsNs,
    int Seq)
{
    public double Mid => BidSize > 0 && AskSize > 0 ? (BidPx + AskPx) / 2 : double.NaN;

    public double Spread => AskPx - BidPx;
}

/// <summary>A trade print (<c>market_trades</c>).</summary>
public readonly record struct Trade(
    long TsNs,
    string Symbol,
    string Venue,
    double Px,
    long Size,
    string? Condition,
    long? ExchangeTsNs,
    int Seq);

/// <summary>
/// A market-by-order or message-level book event (<c>market_book_events</c>): LOBSTER messages and Databento MBO.
/// <see cref="TsNs"/> is the capture (receive) time, <see cref="ExchangeTsNs"/> the exchange's event time.
/// </summary>
public readonly record struct BookEvent(
    long TsNs,
    string Symbol,
    string Venue,
    char Action,
    char Side,
    double Px,
    long Size,
    long OrderId,
    long? ExchangeTsNs,
    int Seq);
