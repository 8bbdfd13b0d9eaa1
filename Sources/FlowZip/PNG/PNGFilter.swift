/// PNG's per-row filters (None, Sub, Up, Average, Paeth; PNG spec §9). The filtered data is one filter
/// byte then the filtered row, for every row. `unfilter` and `filter` are exact inverses given the
/// filter bytes.
enum PNGFilter {
    /// Splits filtered data into raw rows and the filter byte of each row; nil if the data has the
    /// wrong size or an unknown filter type.
    static func unfilter(_ data: [UInt8], geometry: ImageGeometry) -> (pixels: [UInt8], filters: [UInt8])? {
        let rowBytes = geometry.rowBytes
        let bpp = geometry.channels * geometry.bitDepth / 8
        guard data.count == geometry.height * (rowBytes + 1) else { return nil }
        var pixels = [UInt8](repeating: 0, count: geometry.height * rowBytes)
        var filters = [UInt8](repeating: 0, count: geometry.height)
        for y in 0..<geometry.height {
            let type = data[y * (rowBytes + 1)]
            guard type <= 4 else { return nil }
            filters[y] = type
            let src = y * (rowBytes + 1) + 1, dst = y * rowBytes, up = dst - rowBytes
            for x in 0..<rowBytes {
                let a = x >= bpp ? Int(pixels[dst + x - bpp]) : 0
                let b = y > 0 ? Int(pixels[up + x]) : 0
                let c = x >= bpp && y > 0 ? Int(pixels[up + x - bpp]) : 0
                pixels[dst + x] = data[src + x] &+ predictor(type, a, b, c)
            }
        }
        return (pixels, filters)
    }

    /// Filters raw rows with the given filter byte per row.
    static func filter(_ pixels: [UInt8], filters: [UInt8], geometry: ImageGeometry) -> [UInt8] {
        let rowBytes = geometry.rowBytes
        let bpp = geometry.channels * geometry.bitDepth / 8
        var data = [UInt8](repeating: 0, count: geometry.height * (rowBytes + 1))
        for y in 0..<geometry.height {
            let type = filters[y]
            data[y * (rowBytes + 1)] = type
            let dst = y * (rowBytes + 1) + 1, src = y * rowBytes, up = src - rowBytes
            for x in 0..<rowBytes {
                let a = x >= bpp ? Int(pixels[src + x - bpp]) : 0
                let b = y > 0 ? Int(pixels[up + x]) : 0
                let c = x >= bpp && y > 0 ? Int(pixels[up + x - bpp]) : 0
                data[dst + x] = pixels[src + x] &- predictor(type, a, b, c)
            }
        }
        return data
    }

    /// The prediction each filter type adds back: `a` left, `b` above, `c` above-left (0 outside).
    @inline(__always)
    private static func predictor(_ type: UInt8, _ a: Int, _ b: Int, _ c: Int) -> UInt8 {
        switch type {
        case 1: return UInt8(a)
        case 2: return UInt8(b)
        case 3: return UInt8((a + b) >> 1)
        case 4:
            let p = a + b - c
            let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
            return UInt8(pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
        default: return 0
        }
    }
}
