/// The colour stage for photos that were once JPEG-decoded (flag bit 5, instead of YCoCg-R): it
/// undoes libjpeg's integer YCbCr → RGB conversion, (R, G, B, A?) → (Y, Cb, Cr, A?).
///
/// Why: a JPEG decoder computes `R = Y + crR[Cr]`, `G = Y + gOff(Cb, Cr)`, `B = Y + cbB[Cb]` from
/// integer planes, Cb and Cr upsampled from half resolution (4:2:0). So `(R − B, G − B)` names
/// `(Cb, Cr)` exactly: the 65536 pairs are distinct. Recovered, the chroma planes are the smooth
/// upsampled ones, about half as costly as Co and Cg, whose table rounding is noise to a predictor.
///
/// Lossless for any pixel: a pixel whose `(R − B, G − B)` is not in the table (a clamped JPEG
/// pixel, or any other image), or whose luma `B − cbB[Cb]` would leave [0, 255], is written
/// `(B, 256 + 255 + R − B, 255 + G − B)`, which no table pixel uses (their Cb < 256). Ranges for
/// 8-bit samples: Y ∈ [0, 255], Cb ∈ [0, 766], Cr ∈ [0, 510]. Cost: 0 bits.
enum JPEGColourLifting {
    /// libjpeg's tables (jdcolor.c, 16 fraction bits): `FIX(1.40200)`, `FIX(1.77200)`,
    /// `FIX(0.71414)`, `FIX(0.34414)`.
    private static let crRFactor = 91881, cbBFactor = 116130, crGFactor = 46802, cbGFactor = 22554
    static let escapeBase: Int32 = 256

    @inline(__always) static func crR(_ cr: Int) -> Int32 { Int32((crRFactor * (cr - 128) + 32768) >> 16) }
    @inline(__always) static func cbB(_ cb: Int) -> Int32 { Int32((cbBFactor * (cb - 128) + 32768) >> 16) }
    @inline(__always) static func gOffset(_ cb: Int, _ cr: Int) -> Int32 {
        Int32((-cbGFactor * (cb - 128) + 32768 - crGFactor * (cr - 128)) >> 16)
    }

    /// `(R − B + 255) * 511 + (G − B + 255)` → `Cb << 8 | Cr`, or −1 where no pair maps there.
    static let chromaOfDifferences: [Int32] = {
        var table = [Int32](repeating: -1, count: 511 * 511)
        for cb in 0..<256 {
            for cr in 0..<256 {
                // Pairs beyond ±255 arise only through clamping: no 8-bit pixel has them.
                let (d1, d2) = (crR(cr) - cbB(cb), gOffset(cb, cr) - cbB(cb))
                guard abs(d1) <= 255, abs(d2) <= 255 else { continue }
                table[Int(d1 + 255) * 511 + Int(d2 + 255)] = Int32(cb << 8 | cr)
            }
        }
        return table
    }()

    /// The share (in 1/1024) of pixels whose differences are in the table: near 1024 for a
    /// JPEG-decoded photo, about a quarter for others. `planes` are R, G, B (8-bit).
    static func matchedPer1024(_ planes: [Plane]) -> Int {
        let (r, g, b) = (planes[0].samples, planes[1].samples, planes[2].samples)
        guard !r.isEmpty else { return 0 }
        let table = chromaOfDifferences
        var matched = 0
        for i in r.indices where table[Int(r[i] - b[i] + 255) * 511 + Int(g[i] - b[i] + 255)] >= 0 { matched += 1 }
        return matched * 1024 / r.count
    }

    /// (R, G, B, A?) with 8-bit samples → (Y, Cb, Cr, A?).
    static func forward(_ planes: [Plane]) throws(FlowsError) -> [Plane] {
        guard planes.count >= 3 else { throw FlowsError.unsupported("JPEG colour needs 3 channels") }
        let table = chromaOfDifferences
        var (y, u, v) = (planes[2], planes[0], planes[1])
        for i in planes[0].samples.indices {
            let (r, g, b) = (planes[0].samples[i], planes[1].samples[i], planes[2].samples[i])
            guard (0...255).contains(r), (0...255).contains(g), (0...255).contains(b) else {
                throw FlowsError.unsupported("JPEG colour is for 8-bit samples")
            }
            let code = table[Int(r - b + 255) * 511 + Int(g - b + 255)]
            let luma = code >= 0 ? b - cbB(Int(code >> 8)) : -1
            if (0...255).contains(luma) {
                (y.samples[i], u.samples[i], v.samples[i]) = (luma, code >> 8, code & 255)
            } else {
                (y.samples[i], u.samples[i], v.samples[i]) = (b, escapeBase + 255 + r - b, 255 + g - b)
            }
        }
        return [y, u, v] + planes.dropFirst(3)
    }

    /// (Y, Cb, Cr, A?) → (R, G, B, A?). Throws on a chroma pair that `forward` never writes.
    static func inverse(_ planes: [Plane]) throws(FlowsError) -> [Plane] {
        guard planes.count >= 3 else { throw FlowsError.corrupt("JPEG colour needs 3 channels") }
        var (r, g, b) = (planes[0], planes[0], planes[0])
        for i in planes[0].samples.indices {
            let (y, cb, cr) = (planes[0].samples[i], planes[1].samples[i], planes[2].samples[i])
            if (0..<escapeBase).contains(cb) {
                guard (0...255).contains(cr) else { throw FlowsError.corrupt("JPEG colour: Cr out of range") }
                let (cbi, cri) = (Int(cb), Int(cr))
                (r.samples[i], g.samples[i], b.samples[i]) = (y &+ crR(cri), y &+ gOffset(cbi, cri), y &+ cbB(cbi))
            } else {
                guard cb <= escapeBase + 510, (0...510).contains(cr) else { throw FlowsError.corrupt("JPEG colour: escape out of range") }
                (r.samples[i], g.samples[i], b.samples[i]) = (y &+ cb - escapeBase - 255, y &+ cr - 255, y)
            }
        }
        return [r, g, b] + planes.dropFirst(3)
    }
}
