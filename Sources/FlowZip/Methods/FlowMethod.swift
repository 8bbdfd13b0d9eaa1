/// Layout of the pixel samples in a flow chunk: whole rows of an image, channels interleaved,
/// 16-bit samples big-endian (as PNM stores them).
public struct ImageGeometry: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var channels: Int
    /// 8 or 16.
    public var bitDepth: Int
    /// Largest sample value (PNM maxval); samples above it still round-trip.
    public var maxValue: Int

    public init(width: Int, height: Int, channels: Int, bitDepth: Int, maxValue: Int) {
        self.width = width
        self.height = height
        self.channels = channels
        self.bitDepth = bitDepth
        self.maxValue = maxValue
    }

    /// Bytes of one row of samples.
    public var rowBytes: Int { width * channels * (bitDepth / 8) }
}

/// The `flow` chunk method: pixels through the integer flow and onto the rANS stack (issue 5).
/// Its payload describes its own geometry, so decoding needs only the payload.
enum FlowMethod {
    static func compress(_ pixels: ArraySlice<UInt8>, geometry: ImageGeometry) throws -> [UInt8] {
        throw FlowZipError.unsupported("the flow method is not built yet")
    }

    static func decompress(_ payload: ArraySlice<UInt8>, rawLength: Int) throws -> [UInt8] {
        throw FlowZipError.unsupported("the flow method is not built yet")
    }
}
