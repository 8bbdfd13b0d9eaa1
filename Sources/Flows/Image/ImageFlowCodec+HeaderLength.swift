extension ImageFlowCodec {
    /// Bytes of a single flow stream's header (geometry, compaction, prior scales, band corrections)
    /// before its rANS words, as `decode` parses it; nil for a strip container or a malformed stream.
    /// The container packs this side information for small images (FlowZip's `PackedFlowPayload`).
    public static func headerLength(ofSingleStream stream: [UInt8]) -> Int? {
        guard stream.first != StripContainer.marker else { return nil }
        return try? ImageStreamHeader.parse(stream, maxSamples: .max).1
    }
}
