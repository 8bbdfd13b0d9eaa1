/// The header of a RIFF/WAVE file with integer PCM samples (8-bit unsigned, 16/24/32-bit signed) or
/// 32-bit IEEE float samples, 1-8 channels: `WAVE_FORMAT_PCM`, `WAVE_FORMAT_IEEE_FLOAT`, or
/// `WAVE_FORMAT_EXTENSIBLE` with an integer PCM layout whatever its sub-format GUID (`subformatIsFloat`).
///
/// Only the layout is interpreted: everything from the start of the file to the first sample (RIFF
/// header, `fmt `, `LIST`, `fact`... chunks) is kept verbatim as bytes, and so is anything after the
/// sample data, so every file round-trips whatever its metadata. Whatever does not parse (truncated
/// fields, sizes that run past the sniffed prefix, unknown formats, odd block alignment) returns nil
/// and the file is coded as plain bytes.
struct WAVHeader: Equatable {
    /// Bytes from the start of the file to the first sample.
    var length: Int
    /// Bytes of sample data the `data` chunk declares, cut down to whole frames.
    var dataLength: Int
    var geometry: AudioGeometry

    /// The `data` chunk must start within this many bytes for the file to be treated as audio.
    static let maxLength = 4096

    static let formatPCM: UInt16 = 1
    static let formatFloat: UInt16 = 3
    static let formatExtensible: UInt16 = 0xFFFE
    /// Bytes 2-15 of the standard KSDATAFORMAT_SUBTYPE GUIDs (bytes 0-1 are the WAVE format code).
    static let subformatTail: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00,
                                         0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]

    /// Parses the header at the start of `bytes`; nil when it is not a WAV file this codec understands.
    static func parse(_ bytes: ArraySlice<UInt8>) -> WAVHeader? {
        let b = Array(bytes.prefix(maxLength))
        func u16(_ at: Int) -> Int? { at + 2 <= b.count ? Int(b[at]) | Int(b[at + 1]) << 8 : nil }
        func u32(_ at: Int) -> Int? {
            guard at + 4 <= b.count else { return nil }
            return Int(b[at]) | Int(b[at + 1]) << 8 | Int(b[at + 2]) << 16 | Int(b[at + 3]) << 24
        }
        func tag(_ at: Int, _ text: String) -> Bool {
            at + 4 <= b.count && Array(b[at..<at + 4]) == Array(text.utf8)
        }
        guard tag(0, "RIFF"), tag(8, "WAVE") else { return nil }
        var offset = 12
        var format: (channels: Int, bits: Int, blockAlign: Int, float: Bool)?
        // Walk the chunks: `fmt ` must come before `data`; every chunk's declared size must fit the prefix
        // (except the data chunk's, which the planner only uses to cut bands).
        while let size = u32(offset + 4) {
            let body = offset + 8
            if tag(offset, "data") {
                guard let format else { return nil }
                let frames = size / format.blockAlign
                let geometry = AudioGeometry(channels: format.channels, sampleBytes: format.bits / 8,
                                             encoding: format.float ? .float : format.bits == 8 ? .unsigned : .signed)
                return WAVHeader(length: body, dataLength: frames * format.blockAlign, geometry: geometry)
            }
            let next = body + size + (size & 1)  // chunks are padded to even sizes
            guard next <= b.count else { return nil }
            if tag(offset, "fmt ") {
                guard format == nil, size >= 16, let parsed = parseFormat(b, body, size) else { return nil }
                format = parsed
            }
            offset = next
        }
        return nil
    }

    /// The `fmt ` chunk's channel count, bits per sample, block alignment and whether the samples are
    /// floats, when they describe integer PCM or 32-bit floats this codec handles.
    private static func parseFormat(_ b: [UInt8], _ at: Int, _ size: Int) -> (channels: Int, bits: Int, blockAlign: Int, float: Bool)? {
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        let formatTag = UInt16(u16(at))
        let channels = u16(at + 2)
        let blockAlign = u16(at + 12)
        let bits = u16(at + 14)
        guard (1...8).contains(channels), [8, 16, 24, 32].contains(bits),
              blockAlign == channels * bits / 8 else { return nil }
        if formatTag == formatExtensible {
            // cbSize (2) = 22, valid bits (2), channel mask (4), sub-format GUID (16).
            guard size >= 40, u16(at + 16) >= 22, u16(at + 18) <= bits,
                  let float = subformatIsFloat(Array(b[(at + 24)..<(at + 40)]), bits: bits) else { return nil }
            return (channels, bits, blockAlign, float)
        }
        guard formatTag == formatPCM || (formatTag == formatFloat && bits == 32) else { return nil }
        return (channels, bits, blockAlign, formatTag == formatFloat)
    }

    /// How an EXTENSIBLE file's samples are read, from its sub-format GUID: true float32, false integer
    /// PCM, nil neither. The standard KSDATAFORMAT GUIDs, and others built the same way (Ambisonic
    /// B-format's), hold the WAVE format code in their first two bytes: 3 is IEEE float, coded as such
    /// at 32 bits and never read as integers. Under the standard tail, codes other than 1 and 3 are
    /// known non-PCM formats (A-law, mu-law...). Any other GUID is read as integer PCM, since the layout
    /// already passed as such (some writers put a non-standard GUID on plain PCM), even at 32 bits
    /// where it might hold floats: every reading round-trips, and the chunk coder keeps zstd where the
    /// flow does worse.
    static func subformatIsFloat(_ guid: [UInt8], bits: Int) -> Bool? {
        let code = UInt16(guid[0]) | UInt16(guid[1]) << 8
        if code == formatFloat { return bits == 32 ? true : nil }
        if code != formatPCM && Array(guid[2...]) == subformatTail { return nil }
        return false
    }
}
