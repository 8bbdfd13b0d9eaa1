/// Large images travel as independent horizontal strips, each a complete flow stream:
///
/// ```
/// byte 0      0x02 (a single flow stream starts with its version, 0x01, instead)
/// bytes 1-4   strip count n ≥ 2 (UInt32 little-endian)
/// n times     UInt32 length, then that many bytes: a flow stream of whole rows, top to bottom
/// ```
/// The strips must share width, channels and depth (`PixelImage(stacking:)` checks).
enum StripContainer {
    static let marker: UInt8 = 2

    static func serialize(_ strips: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [marker]
        func put(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out.append(contentsOf: $0) } }
        put(strips.count)
        for s in strips {
            put(s.count)
            out.append(contentsOf: s)
        }
        return out
    }

    /// The byte ranges of the strips; throws unless the lengths tile the payload exactly.
    static func parse(_ p: [UInt8]) throws(FlowsError) -> [Range<Int>] {
        func u32(_ o: Int) throws(FlowsError) -> Int {
            guard o + 4 <= p.count else { throw FlowsError.truncated("strip table") }
            return Int(p[o]) | Int(p[o + 1]) << 8 | Int(p[o + 2]) << 16 | Int(p[o + 3]) << 24
        }
        let count = try u32(1)
        guard count >= 2, count <= (p.count - 5) / 4 else { throw FlowsError.corrupt("strip count \(count)") }
        var ranges = [Range<Int>]()
        var offset = 5
        for _ in 0..<count {
            let length = try u32(offset)
            offset += 4
            guard length <= p.count - offset else { throw FlowsError.truncated("strip of \(length) bytes") }
            ranges.append(offset..<offset + length)
            offset += length
        }
        guard offset == p.count else { throw FlowsError.corrupt("\(p.count - offset) bytes after the last strip") }
        return ranges
    }
}
