internal import Flows

/// The `flowAudio` chunk method (id 4): whole frames of samples through the 1-D integer flow
/// (`AudioFlowCodec`) and onto the rANS stack. The payload describes its own layout, so decoding
/// needs only the payload and the record's raw length (FORMAT.md, *flowAudio payload*):
///
/// | offset | size | field |
/// |---:|---:|---|
/// | 0 | 1 | channels, 1...8 |
/// | 1 | 1 | sample format: bits 0-2 bytes per sample (1...4), bits 4-5 encoding (0 signed, 1 unsigned, 2 float32), bits 6-7 `AudioFlowCodec` version − 1 (0: version 1, 1: version 2, 2: version 3); bit 3 is 0 |
/// | 2 | ... | the rANS stack of `AudioFlowCodec` |
enum FlowAudioMethod {
    static func compress(_ samples: ArraySlice<UInt8>, geometry: AudioGeometry) throws -> [UInt8] {
        guard geometry.isValid, !samples.isEmpty, samples.count % geometry.frameBytes == 0 else {
            throw FlowZipError.unsupported("flowAudio needs whole frames of 1-8 channels")
        }
        let version = AudioFlowCodec.Version.current
        let formatByte = UInt8(geometry.sampleBytes) | geometry.encoding.rawValue << 4 | UInt8(version.rawValue - 1) << 6
        return [UInt8(geometry.channels), formatByte] + AudioFlowCodec.encode(geometry.unpack(samples))
    }

    static func decompress(_ payload: ArraySlice<UInt8>, rawLength: Int) throws -> [UInt8] {
        guard payload.count >= 2 else { throw FlowZipError.truncated("flowAudio payload header") }
        let base = payload.startIndex
        let channels = Int(payload[base])
        let formatByte = payload[base + 1]
        guard formatByte & 0b0000_1000 == 0, let encoding = AudioGeometry.Encoding(rawValue: (formatByte >> 4) & 3),
              let version = AudioFlowCodec.Version(rawValue: Int(formatByte >> 6) + 1) else {
            throw FlowZipError.corrupt("flowAudio sample format \(formatByte)")
        }
        let geometry = AudioGeometry(channels: channels, sampleBytes: Int(formatByte & 7), encoding: encoding)
        guard geometry.isValid else {
            throw FlowZipError.corrupt("flowAudio layout: \(channels) channels, format \(formatByte)")
        }
        guard rawLength % geometry.frameBytes == 0 else {
            throw FlowZipError.corrupt("flowAudio: \(rawLength) bytes is not whole frames of \(geometry.frameBytes)")
        }
        // Each block goes straight into its place in the interleaved output: no planar copy of the chunk.
        let frames = rawLength / geometry.frameBytes
        var fits = true
        let raw = try [UInt8](unsafeUninitializedCapacity: rawLength) { buffer, count in
            buffer.initialize(repeating: 0)
            count = rawLength
            do {
                try AudioFlowCodec.decode(payload[(base + 2)...], channelCount: channels, frameCount: frames,
                                          version: version,
                                          sampleBits: geometry.encoding == .float ? 32 : 8 * geometry.sampleBytes) { range, samples in
                    fits = geometry.pack(samples, channelStride: AudioFlowCodec.blockLength, frames: range,
                                         into: buffer)
                    return fits
                }
            } catch {
                throw fits ? FlowZipError.corrupt("flowAudio: \(error)")
                    : FlowZipError.corrupt("flowAudio: a sample does not fit \(geometry.sampleBytes) bytes")
            }
        }
        return raw
    }
}
