/// The PCM content of a RIFF WAVE file: its format and its sample bytes, so a peer codec's decoded
/// WAV (whose header and extra chunks may differ) can be checked for the very same samples.
public struct PCM: Equatable, Sendable {
    public var channels: Int
    public var sampleRate: Int
    public var bitsPerSample: Int
    /// The `data` chunk, verbatim.
    public var data: [UInt8]

    /// Samples in all channels together.
    public var sampleCount: Int { data.count / max(1, bitsPerSample / 8) }

    /// Why a byte string is not a PCM WAVE file this reader understands.
    public struct FormatError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses a RIFF WAVE file with integer PCM (format 1, or extensible with a PCM subformat).
    public init(wav bytes: [UInt8]) throws {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        guard bytes.count >= 12, Array(bytes[0..<4]) == Array("RIFF".utf8),
              Array(bytes[8..<12]) == Array("WAVE".utf8) else {
            throw FormatError(description: "not a RIFF WAVE file")
        }
        var format: (channels: Int, rate: Int, bits: Int)?
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = u32(offset + 4)
            let body = offset + 8
            guard size <= bytes.count - body else {
                throw FormatError(description: "WAVE chunk '\(id)' runs past the end of the file")
            }
            if id == "fmt " {
                guard size >= 16 else { throw FormatError(description: "WAVE fmt chunk too short") }
                let tag = u16(body)
                let isPCM = tag == 1 || (tag == 0xFFFE && size >= 40 && u16(body + 24) == 1)
                guard isPCM else { throw FormatError(description: "WAVE format \(tag) is not integer PCM") }
                format = (u16(body + 2), u32(body + 4), u16(body + 14))
            } else if id == "data" {
                guard let format else { throw FormatError(description: "WAVE data chunk before fmt") }
                guard format.channels > 0, [8, 16, 24, 32].contains(format.bits) else {
                    throw FormatError(description: "WAVE format \(format.channels) channels, \(format.bits) bits unsupported")
                }
                channels = format.channels
                sampleRate = format.rate
                bitsPerSample = format.bits
                data = Array(bytes[body..<body + size])
                return
            }
            offset = body + size + (size & 1)  // chunks are padded to even length
        }
        throw FormatError(description: "WAVE file has no data chunk")
    }
}
