import Foundation
import Testing
@testable import Flows

/// Measures the image flow codec on real photos: bits per sub-pixel, encode and decode speed
/// (thread CPU time, so other processes on the machine do not skew it), and checks that every
/// photo round-trips. Runs only when `FLOWZIP_PHOTOS` names a directory of PNM files (P5/P6);
/// `scripts/flow-measure/measure.sh` runs it in release mode beside PNG, WebP and JPEG XL.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLOWZIP_PHOTOS"] != nil))
struct PhotoMeasurement {
    @Test func measuresEveryPhoto() throws {
        let dir = ProcessInfo.processInfo.environment["FLOWZIP_PHOTOS"]!
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".ppm") || $0.hasSuffix(".pgm") || $0.hasSuffix(".pnm") }.sorted()
        try #require(!names.isEmpty, "no .ppm/.pgm files in \(dir)")
        var totalBits = 0.0, totalSamples = 0.0
        for name in names {
            let image = try readPNM(dir + "/" + name)
            let samples = image.width * image.height * image.channels
            let t0 = threadSeconds()
            let stream = try ImageFlowCodec.encode(image)
            let t1 = threadSeconds()
            let back = try ImageFlowCodec.decode(stream, maxSamples: samples)
            let t2 = threadSeconds()
            #expect(back == image, "\(name) round-trips")
            let megapixels = Double(image.width * image.height) / 1e6
            let bpsp = Double(stream.count * 8) / Double(samples)
            totalBits += Double(stream.count * 8)
            totalSamples += Double(samples)
            print(String(format: "flow-measure %@ %dx%dx%d bpsp %.4f encode %.2f MP/s decode %.2f MP/s",
                         name, image.width, image.height, image.channels, bpsp,
                         megapixels / (t1 - t0), megapixels / (t2 - t1)))
        }
        print(String(format: "flow-measure ALL bpsp(total) %.4f", totalBits / totalSamples))
    }

    func threadSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// A minimal binary PNM reader (P5 gray, P6 RGB; maxval up to 65535; `#` comments).
    func readPNM(_ path: String) throws -> PixelImage {
        let d = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var pos = 0
        func token() -> String {
            while pos < d.count {
                if d[pos] == UInt8(ascii: "#") { while pos < d.count && d[pos] != 10 { pos += 1 } }
                else if d[pos] == 32 || (9...13).contains(d[pos]) { pos += 1 } else { break }
            }
            var s = ""
            while pos < d.count && !(d[pos] == 32 || (9...13).contains(d[pos])) { s.append(Character(UnicodeScalar(d[pos]))); pos += 1 }
            return s
        }
        let magic = token()
        let (w, h, maxval) = (Int(token()) ?? -1, Int(token()) ?? -1, Int(token()) ?? -1)
        pos += 1
        guard magic == "P5" || magic == "P6", w >= 0, h >= 0, (1...65535).contains(maxval) else {
            throw FlowsError.unsupported("\(path) is not a binary PGM/PPM")
        }
        return try PixelImage(interleaved: d[pos...], width: w, height: h, channels: magic == "P6" ? 3 : 1,
                              bitDepth: maxval > 255 ? 16 : 8)
    }
}
