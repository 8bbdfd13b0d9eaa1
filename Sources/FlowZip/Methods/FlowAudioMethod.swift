internal import Flows
internal import EntropyCoding

/// The `flowAudio` chunk method (id 4): whole frames of samples through the 1-D integer flow
/// (`AudioFlowCodec`) and onto the rANS stack. The payload describes its own layout, so decoding
/// needs only the payload and the record's raw length (FORMAT.md, *flowAudio payload*):
///
/// | offset | size | field |
/// |---:|---:|---|
/// | 0 | 1 | channels, 1...8 |
/// | 1 | 1 | sample format: bits 0-2 bytes per sample (1...4), bits 4-5 encoding (0 signed, 1 unsigned, 2 float32 through an order-preserving map, 3 float32 split), bits 6-7 `AudioFlowCodec` version − 1 (0: version 1, 1: version 2, 2: version 3); bit 3 is 0 |
/// | 2 | ... | the rANS stack of `AudioFlowCodec` (encodings 0-2); the split floats' fields (encoding 3, `compressFloat`) |
enum FlowAudioMethod {
    /// Encoding 3 of the sample format byte: float32 samples through `IEEESplit`.
    static let floatSplit: UInt8 = 3

    static func compress(_ samples: ArraySlice<UInt8>, geometry: AudioGeometry) throws -> [UInt8] {
        guard geometry.isValid, !samples.isEmpty, samples.count % geometry.frameBytes == 0 else {
            throw FlowZipError.unsupported("flowAudio needs whole frames of 1-8 channels")
        }
        if geometry.encoding == .float { return compressFloat(samples, channels: geometry.channels) }
        let version = AudioFlowCodec.Version.current
        let formatByte = UInt8(geometry.sampleBytes) | geometry.encoding.rawValue << 4 | UInt8(version.rawValue - 1) << 6
        return [UInt8(geometry.channels), formatByte] + AudioFlowCodec.encode(geometry.unpack(samples))
    }

    static func decompress(_ payload: ArraySlice<UInt8>, rawLength: Int) throws -> [UInt8] {
        guard payload.count >= 2 else { throw FlowZipError.truncated("flowAudio payload header") }
        let base = payload.startIndex
        let channels = Int(payload[base])
        let formatByte = payload[base + 1]
        if formatByte & 0b0011_0111 == floatSplit << 4 | 4, let version = AudioFlowCodec.Version(rawValue: Int(formatByte >> 6) + 1) {
            return try decompressFloat(payload, channels: channels, version: version, rawLength: rawLength)
        }
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

/// Float32 samples split by `IEEESplit` (encoding 3): integers through the flow, the rest in a side stream.
///
/// | offset | size | field |
/// |---:|---:|---|
/// | 2 | 1 | integer bits `b` (1...32): every integer fits `b`-bit two's complement |
/// | 3 | 2 × channels | per channel, little-endian: bits 0-8 the unit `U` (1...277), bit 15 leftovers; other bits 0 |
/// | | LEB128 | `n`: bytes of the flow's rANS stack (1 ... the rest) |
/// | | n | the integers' `AudioFlowCodec` rANS stack |
/// | | rest | the side stream's rANS stack |
extension FlowAudioMethod {
    static func compressFloat(_ samples: ArraySlice<UInt8>, channels: Int) -> [UInt8] {
        let frames = samples.count / (4 * channels)
        var patterns = [[UInt32]](repeating: [], count: channels)
        let base = samples.startIndex
        for c in 0..<channels {
            patterns[c].reserveCapacity(frames)
            for f in 0..<frames {
                let at = base + 4 * (f * channels + c)
                patterns[c].append(UInt32(samples[at]) | UInt32(samples[at + 1]) << 8
                                   | UInt32(samples[at + 2]) << 16 | UInt32(samples[at + 3]) << 24)
            }
        }
        let split = IEEESplit.split(patterns)
        patterns = []
        let version = AudioFlowCodec.Version.current
        var out: [UInt8] = [UInt8(channels), 4 | floatSplit << 4 | UInt8(version.rawValue - 1) << 6, UInt8(split.integerBits)]
        for channel in split.channels {
            let field = UInt16(channel.unit) | (channel.leftovers ? 0x8000 : 0)
            out += [UInt8(field & 0xFF), UInt8(field >> 8)]
        }
        let flow = AudioFlowCodec.encode(split.integers)
        LEB128.append(UInt64(flow.count), to: &out)
        return out + flow + split.side
    }

    static func decompressFloat(_ payload: ArraySlice<UInt8>, channels: Int, version: AudioFlowCodec.Version,
                                rawLength: Int) throws -> [UInt8] {
        guard (1...8).contains(channels) else { throw FlowZipError.corrupt("flowAudio: \(channels) channels") }
        guard rawLength % (4 * channels) == 0 else {
            throw FlowZipError.corrupt("flowAudio: \(rawLength) bytes is not whole frames of \(4 * channels)")
        }
        let base = payload.startIndex
        guard payload.count >= 3 + 2 * channels else { throw FlowZipError.truncated("flowAudio float header") }
        let integerBits = Int(payload[base + 2])
        var split: [IEEESplit.Channel] = []
        for c in 0..<channels {
            let field = Int(payload[base + 3 + 2 * c]) | Int(payload[base + 4 + 2 * c]) << 8
            guard field & 0x7E00 == 0 else { throw FlowZipError.corrupt("flowAudio float channel field \(field)") }
            split.append(IEEESplit.Channel(unit: field & 0x1FF, leftovers: field & 0x8000 != 0))
        }
        var offset = 3 + 2 * channels
        let bytes = Array(payload)
        let flowLength: Int
        do { flowLength = Int(try LEB128.read(bytes, at: &offset, maxBits: 32)) } catch {
            throw FlowZipError.corrupt("flowAudio float: the flow's length is not a valid varint")
        }
        guard flowLength >= 1, flowLength <= bytes.count - offset else {
            throw FlowZipError.corrupt("flowAudio float: flow length \(flowLength) of \(bytes.count - offset) bytes")
        }
        var joiner: IEEESplit.Joiner
        do {
            joiner = try IEEESplit.Joiner(side: bytes[(offset + flowLength)...], channels: split, integerBits: integerBits)
        } catch { throw FlowZipError.corrupt("flowAudio: \(error)") }
        let frames = rawLength / (4 * channels)
        var failure: AudioFlowError?
        let raw = try [UInt8](unsafeUninitializedCapacity: rawLength) { buffer, count in
            buffer.initialize(repeating: 0)
            count = rawLength
            do {
                try AudioFlowCodec.decode(bytes[offset..<(offset + flowLength)], channelCount: channels, frameCount: frames,
                                          version: version, sampleBits: integerBits) { range, samples in
                    var at = range.lowerBound * 4 * channels
                    do throws(AudioFlowError) {
                        for i in 0..<range.count {
                            for c in 0..<channels {
                                let u = try joiner.pattern(samples[c &* AudioFlowCodec.blockLength &+ i], channel: c)
                                buffer[at] = UInt8(truncatingIfNeeded: u)
                                buffer[at + 1] = UInt8(truncatingIfNeeded: u >> 8)
                                buffer[at + 2] = UInt8(truncatingIfNeeded: u >> 16)
                                buffer[at + 3] = UInt8(truncatingIfNeeded: u >> 24)
                                at += 4
                            }
                        }
                        if joiner.hasReadPastData { throw AudioFlowError.corrupt("float side stream ends before the samples do") }
                    } catch {
                        failure = error
                        return false
                    }
                    return true
                }
                try joiner.finish()
            } catch {
                throw FlowZipError.corrupt("flowAudio: \(failure ?? error)")
            }
        }
        return raw
    }
}
