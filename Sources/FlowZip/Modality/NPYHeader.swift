/// The header of a NumPy `.npy` file holding a C-order array of little-endian int16, uint16, int32 or
/// float32: the array's elements become samples of the 1-D flow. A 2-D array of shape `(n, c)` with
/// `c` in 1...8 is read as `c` interleaved channels; any other shape as one channel.
///
/// The header bytes are kept verbatim; anything this parser does not understand (other dtypes,
/// Fortran order, big-endian, malformed dictionaries) returns nil and the file is coded as bytes.
struct NPYHeader: Equatable {
    /// Bytes from the start of the file to the first element.
    var length: Int
    /// Bytes of element data the shape declares.
    var dataLength: Int
    var geometry: AudioGeometry

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    static let maxLength = 4096

    static func parse(_ bytes: ArraySlice<UInt8>) -> NPYHeader? {
        let b = Array(bytes.prefix(maxLength))
        guard b.count >= 10, Array(b[0..<6]) == magic else { return nil }
        let major = b[6]
        let fieldsAt: Int, dictLength: Int
        switch major {
        case 1:
            fieldsAt = 10
            dictLength = Int(b[8]) | Int(b[9]) << 8
        case 2, 3:
            guard b.count >= 12 else { return nil }
            fieldsAt = 12
            dictLength = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
        default:
            return nil
        }
        guard fieldsAt + dictLength <= b.count else { return nil }
        let squeezed = b[fieldsAt..<(fieldsAt + dictLength)].filter { $0 != UInt8(ascii: " ") }
        guard find(Array("'fortran_order':False".utf8), in: squeezed) != nil,
              let descr = field(squeezed, "descr"), let shapeText = field(squeezed, "shape") else { return nil }
        let geometryByDescr: [String: AudioGeometry] = [
            "'<i2'": AudioGeometry(channels: 1, sampleBytes: 2, encoding: .signed),
            "'<u2'": AudioGeometry(channels: 1, sampleBytes: 2, encoding: .unsigned),
            "'<i4'": AudioGeometry(channels: 1, sampleBytes: 4, encoding: .signed),
            "'<f4'": AudioGeometry(channels: 1, sampleBytes: 4, encoding: .float),
        ]
        guard var geometry = geometryByDescr[descr] else { return nil }
        // shape: "(n,)", "(n,c)", "(a,b,c)", "()"
        guard shapeText.hasPrefix("("), shapeText.hasSuffix(")") else { return nil }
        let dims = shapeText.dropFirst().dropLast().split(separator: ",")
        var count = 1
        for d in dims {
            guard d.count <= 18, let v = Int(d), v >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: v)
            guard !overflow, product < 1 << 48 else { return nil }
            count = product
        }
        if dims.count == 2, let c = Int(dims[1]), (1...8).contains(c) { geometry.channels = c }
        return NPYHeader(length: fieldsAt + dictLength, dataLength: count * geometry.sampleBytes, geometry: geometry)
    }

    /// The value text of `'key':value` in a squeezed dictionary: up to the next top-level comma or brace.
    private static func field(_ dict: [UInt8], _ key: String) -> String? {
        let needle = Array("'\(key)':".utf8)
        guard let at = find(needle, in: dict) else { return nil }
        var depth = 0
        var out: [UInt8] = []
        for ch in dict[(at + needle.count)...] {
            guard ch < 0x80 else { return nil }
            if ch == UInt8(ascii: "(") { depth += 1 }
            if ch == UInt8(ascii: ")") { depth -= 1 }
            if depth == 0 && (ch == UInt8(ascii: ",") || ch == UInt8(ascii: "}")) { break }
            out.append(ch)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// First index of `needle` in `haystack`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
