/// What the encoder compares when it keeps the smallest of the candidate codings of an image that is
/// coded as one stream (prior, colour stage, interlaced or raster order): the stream's bytes by
/// default, or what the caller will write of it. FlowZip deflates a single stream's header
/// (`PackedFlowPayload`), which shrinks the interlaced coding's scale table more than the raster
/// coding's, so on small images the smaller stream is not always the smaller payload.
/// Strips in a `StripContainer` are written as they are, so they are always sized by their bytes.
public struct WrittenSize: Sendable, Equatable {
    /// Names the measure. Closures cannot be compared: options are equal when their measures' names are.
    public let name: String
    private let measure: @Sendable ([UInt8]) -> Int

    public init(name: String, _ measure: @escaping @Sendable ([UInt8]) -> Int) {
        self.name = name
        self.measure = measure
    }

    /// The stream as it is.
    public static let streamBytes = WrittenSize(name: "stream bytes") { $0.count }

    /// The bytes written for `stream`, a complete single flow stream.
    public func callAsFunction(_ stream: [UInt8]) -> Int { measure(stream) }

    public static func == (a: Self, b: Self) -> Bool { a.name == b.name }
}
