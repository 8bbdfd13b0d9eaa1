/// Layout of the samples in an audio (or numeric-array) chunk: whole frames of interleaved channels,
/// little-endian.
struct AudioGeometry: Sendable, Equatable {
    /// How a sample's bytes map to the integer the flow sees.
    enum Encoding: UInt8, Sendable {
        /// Two's complement (WAV 16/24/32-bit, int16/int32 arrays).
        case signed = 0
        /// Offset binary (WAV 8-bit, uint16 arrays): the flow sees `value - 2^(bits - 1)`.
        case unsigned = 1
        /// IEEE float32. The encoder splits it (`IEEESplit`, payload encoding 3); `unpack` and `pack`
        /// give the order-preserving map of its bit pattern to Int32 of payload encoding 2 (decode only).
        case float = 2
    }

    /// 1...8.
    var channels: Int
    /// Bytes per sample, 1...4 (float: 4).
    var sampleBytes: Int
    /// How each sample's bytes map to an integer.
    var encoding: Encoding

    /// A layout; `isValid` says whether this build codes it.
    init(channels: Int, sampleBytes: Int, encoding: Encoding) {
        self.channels = channels
        self.sampleBytes = sampleBytes
        self.encoding = encoding
    }

    /// Bytes of one frame (one sample of every channel).
    var frameBytes: Int { channels * sampleBytes }

    /// Whether this build can code the layout.
    var isValid: Bool {
        (1...8).contains(channels) && (1...4).contains(sampleBytes) && (encoding != .float || sampleBytes == 4)
    }

    /// The sample bytes as planar Int32 channels. Precondition: `bytes.count` is a whole number of frames.
    func unpack(_ bytes: ArraySlice<UInt8>) -> [[Int32]] {
        let frames = bytes.count / frameBytes
        var out = [[Int32]](repeating: [], count: channels)
        for c in 0..<channels { out[c].reserveCapacity(frames) }
        let base = bytes.startIndex
        let width = 8 * sampleBytes
        for f in 0..<frames {
            for c in 0..<channels {
                let at = base + f * frameBytes + c * sampleBytes
                var u: UInt32 = 0
                for k in 0..<sampleBytes { u |= UInt32(bytes[at + k]) << UInt32(8 * k) }
                out[c].append(toSample(u, width: width))
            }
        }
        return out
    }

    /// Writes frames `frames` of planar samples (channel `c` at `samples[c · channelStride ..<]`) into
    /// their place in the interleaved bytes `out`; false when a sample does not fit the layout.
    /// Precondition: `out` holds at least `frames.upperBound` frames.
    func pack(_ samples: UnsafeBufferPointer<Int32>, channelStride: Int, frames: Range<Int>,
              into out: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        precondition(out.count >= frames.upperBound * frameBytes && samples.count >= (channels - 1) * channelStride + frames.count)
        let width = 8 * sampleBytes
        let first = frames.lowerBound * frameBytes
        if sampleBytes == 2 && encoding == .signed {  // 16-bit PCM, the common case
            for c in 0..<channels {
                var at = first + 2 * c
                for i in 0..<frames.count {
                    let v = samples[c &* channelStride &+ i]
                    guard v >= -32768 && v <= 32767 else { return false }
                    out[at] = UInt8(truncatingIfNeeded: v)
                    out[at &+ 1] = UInt8(truncatingIfNeeded: v >> 8)
                    at &+= frameBytes
                }
            }
            return true
        }
        for c in 0..<channels {
            var at = first + c * sampleBytes
            for i in 0..<frames.count {
                guard let u = fromSample(samples[c &* channelStride &+ i], width: width) else { return false }
                for k in 0..<sampleBytes { out[at + k] = UInt8(truncatingIfNeeded: u >> UInt32(8 * k)) }
                at &+= frameBytes
            }
        }
        return true
    }

    /// The integer the flow sees for the raw little-endian value `u` of `width` bits.
    private func toSample(_ u: UInt32, width: Int) -> Int32 {
        switch encoding {
        case .signed:
            return Int32(bitPattern: u << UInt32(32 - width)) >> Int32(32 - width)  // sign-extend
        case .unsigned:
            return Int32(truncatingIfNeeded: Int64(u) - (Int64(1) << Int64(width - 1)))
        case .float:
            // Order-preserving: negative floats (sign set) reversed below the positive ones.
            let ordered = u & 0x8000_0000 != 0 ? ~u : u | 0x8000_0000
            return Int32(bitPattern: ordered ^ 0x8000_0000)
        }
    }

    /// The inverse of `toSample`; nil when `v` is outside what `width` bits hold.
    private func fromSample(_ v: Int32, width: Int) -> UInt32? {
        let half = Int64(1) << Int64(width - 1)
        switch encoding {
        case .signed:
            guard Int64(v) >= -half && Int64(v) < half else { return nil }
            return width == 32 ? UInt32(bitPattern: v) : UInt32(bitPattern: v) & UInt32((1 << width) - 1)
        case .unsigned:
            guard Int64(v) >= -half && Int64(v) < half else { return nil }
            return UInt32(Int64(v) + half)
        case .float:
            let ordered = UInt32(bitPattern: v) ^ 0x8000_0000
            return ordered & 0x8000_0000 != 0 ? ordered & 0x7FFF_FFFF : ~ordered
        }
    }
}
