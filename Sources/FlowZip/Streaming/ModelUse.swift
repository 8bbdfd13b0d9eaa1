internal import Flows

/// Whether a chunk's payload needs the model the stream header names: exactly when its decoder asks for
/// it, that is when a flow payload (or a png payload's flow-coded pixels) holds a flow stream with the
/// learned-prior flag, tested as `FlowMethod.decompress` tests it. A payload it cannot read counts as
/// needing the model: naming a model no chunk uses is always safe, leaving out one a chunk uses is not.
enum ModelUse {
    static func needsModel(_ payload: [UInt8], method: ChunkMethodID) -> Bool {
        switch method {
        case .store, .zlib, .zstd, .flowAudio: return false
        case .flow: return flowNeedsModel(payload[...])
        case .png: return pngNeedsModel(payload)
        }
    }

    private static func flowNeedsModel(_ payload: ArraySlice<UInt8>) -> Bool {
        guard payload.first == PackedFlowPayload.marker else { return ImageFlowCodec.usesLearnedPrior(payload) }
        guard let stream = try? PackedFlowPayload.unpack(payload) else { return true }
        return ImageFlowCodec.usesLearnedPrior(stream)
    }

    /// A png payload (FORMAT.md, *PNG payload*): 24 bytes of fixed fields, the packed metadata's length
    /// and bytes, the pixel method (`1` zstd rows, `3` flow), the pixel payload.
    private static func pngNeedsModel(_ payload: [UInt8]) -> Bool {
        var reader = ByteReader(payload, context: "png payload")
        guard (try? reader.bytes(24)) != nil, let packed = try? reader.u32(), (try? reader.bytes(Int(packed))) != nil,
              let pixelMethod = try? reader.u8() else { return true }
        switch pixelMethod {
        case 1: return false
        case 3: return flowNeedsModel(payload[reader.offset...])
        default: return true
        }
    }
}
