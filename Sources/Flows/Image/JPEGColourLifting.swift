/// The colour stage for photos that were once JPEG-decoded (flag bit 5, instead of YCoCg-R): it
/// undoes libjpeg's integer YCbCr → RGB conversion, (R, G, B, A?) → (Y, Cb, Cr, A?).
///
/// Why: a JPEG decoder computes `R = Y + crR[Cr]`, `G = Y + gOff(Cb, Cr)`, `B = Y + cbB[Cb]` from
/// integer planes, Cb and Cr upsampled from half resolution (4:2:0). So `(R − B, G − B)` names
/// `(Cb, Cr)` exactly: the 65536 pairs are distinct. Recovered, the chroma planes are the smooth
/// upsampled ones, about half as costly as Co and Cg, whose table rounding is noise to a predictor.
///
/// A pixel that libjpeg clamped is written as some (Y, Cb, Cr) that the clamped conversion maps to
/// it, near the previous pixel's (`clampedPreimage`). Lossless for any pixel: one that has no such
/// preimage (any other image) is written `(B, 256 + 255 + R − B, 255 + G − B)`, which no
/// preimage uses (their Cb < 256). Ranges for
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

    /// The share (in 1/1024) of the pixels with no channel at 0 or 255 (which libjpeg may have
    /// clamped) whose differences are in the table: near 1024 for a JPEG-decoded photo, about a
    /// quarter for others; 0 if there are none. `planes` are R, G, B (8-bit).
    static func matchedPer1024(_ planes: [Plane]) -> Int {
        let (r, g, b) = (planes[0].samples, planes[1].samples, planes[2].samples)
        let table = chromaOfDifferences
        var (matched, counted) = (0, 0)
        for i in r.indices where (1...254).contains(r[i]) && (1...254).contains(g[i]) && (1...254).contains(b[i]) {
            counted += 1
            if table[Int(r[i] - b[i] + 255) * 511 + Int(g[i] - b[i] + 255)] >= 0 { matched += 1 }
        }
        return counted == 0 ? 0 : matched * 1024 / counted
    }

    /// (R, G, B, A?) with 8-bit samples → (Y, Cb, Cr, A?).
    static func forward(_ planes: [Plane]) throws(FlowsError) -> [Plane] {
        guard planes.count >= 3 else { throw FlowsError.unsupported("JPEG colour needs 3 channels") }
        let table = chromaOfDifferences
        var (y, u, v) = (planes[2], planes[0], planes[1])
        var previous: (y: Int32, cb: Int32, cr: Int32) = (128, 128, 128)
        for i in planes[0].samples.indices {
            let (r, g, b) = (planes[0].samples[i], planes[1].samples[i], planes[2].samples[i])
            guard (0...255).contains(r), (0...255).contains(g), (0...255).contains(b) else {
                throw FlowsError.unsupported("JPEG colour is for 8-bit samples")
            }
            let code = table[Int(r - b + 255) * 511 + Int(g - b + 255)]
            let luma = code >= 0 ? b - cbB(Int(code >> 8)) : -1
            if (0...255).contains(luma) {
                previous = (luma, code >> 8, code & 255)
            } else if let clamped = clampedPreimage(r, g, b, near: previous) {
                previous = clamped
            } else {
                (y.samples[i], u.samples[i], v.samples[i]) = (b, escapeBase + 255 + r - b, 255 + g - b)
                continue
            }
            (y.samples[i], u.samples[i], v.samples[i]) = previous
        }
        return [y, u, v] + planes.dropFirst(3)
    }

    @inline(__always) private static func clamp(_ x: Int32) -> Int32 { min(max(x, 0), 255) }

    static let searchRadius: Int32 = 8

    /// For a pixel that libjpeg clamped (a channel at 0 or 255), some (Y, Cb, Cr) in [0, 255]
    /// that the clamped conversion maps to it: the one with Cb, Cr nearest to `near`'s (within
    /// `searchRadius`), Y nearest to `near`'s. Any choice decodes; a near one keeps the planes
    /// smooth. Nil if none.
    static func clampedPreimage(_ r: Int32, _ g: Int32, _ b: Int32,
                                near: (y: Int32, cb: Int32, cr: Int32)) -> (y: Int32, cb: Int32, cr: Int32)? {
        guard [r, g, b].contains(where: { $0 == 0 || $0 == 255 }) else { return nil }
        var best: (y: Int32, cb: Int32, cr: Int32)?, bestDistance = Int32.max
        for cb in max(0, near.cb - searchRadius)...min(255, near.cb + searchRadius) {
            for cr in max(0, near.cr - searchRadius)...min(255, near.cr + searchRadius) {
                let distance = abs(cb - near.cb) + abs(cr - near.cr)
                guard distance < bestDistance else { continue }
                var (lo, hi): (Int32, Int32) = (0, 255)
                for (value, offset) in [(r, crR(Int(cr))), (g, gOffset(Int(cb), Int(cr))), (b, cbB(Int(cb)))] {
                    if value == 0 { hi = min(hi, -offset) } else if value == 255 { lo = max(lo, 255 - offset) }
                    else { lo = max(lo, value - offset); hi = min(hi, value - offset) }
                }
                if lo <= hi { best = (min(max(near.y, lo), hi), cb, cr); bestDistance = distance }
            }
        }
        return best
    }

    /// (Y, Cb, Cr, A?) → (R, G, B, A?), clamped to [0, 255] as libjpeg does. Throws on a chroma pair that `forward` never writes.
    static func inverse(_ planes: [Plane]) throws(FlowsError) -> [Plane] {
        guard planes.count >= 3 else { throw FlowsError.corrupt("JPEG colour needs 3 channels") }
        var (r, g, b) = (planes[0], planes[0], planes[0])
        for i in planes[0].samples.indices {
            let (y, cb, cr) = (planes[0].samples[i], planes[1].samples[i], planes[2].samples[i])
            if (0..<escapeBase).contains(cb) {
                guard (0...255).contains(cr) else { throw FlowsError.corrupt("JPEG colour: Cr out of range") }
                guard (0...255).contains(y) else { throw FlowsError.corrupt("JPEG colour: Y out of range") }
                let (cbi, cri) = (Int(cb), Int(cr))
                (r.samples[i], g.samples[i], b.samples[i]) = (clamp(y + crR(cri)), clamp(y + gOffset(cbi, cri)), clamp(y + cbB(cbi)))
            } else {
                guard cb <= escapeBase + 510, (0...510).contains(cr) else { throw FlowsError.corrupt("JPEG colour: escape out of range") }
                (r.samples[i], g.samples[i], b.samples[i]) = (y &+ cb - escapeBase - 255, y &+ cr - 255, y)
            }
        }
        return [r, g, b] + planes.dropFirst(3)
    }
}
