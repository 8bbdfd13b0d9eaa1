// Payload sizes of flowAudio over WAV files, for measuring candidate stages quickly (bench/results/audio-v3.md).
// Builds the audio codec's sources (and EntropyCoding's) into one binary, without the package:
//   mkdir -p /tmp/a3/src && cp Sources/EntropyCoding/*.swift Sources/Flows/Audio/*.swift /tmp/a3/src/ &&
//   sed -i 's/^import EntropyCoding$//' /tmp/a3/src/*.swift &&
//   swiftc -Ounchecked -module-name Exp /tmp/a3/src/*.swift bench/tools/audio-v3/payload-sizes.swift -o /tmp/a3/exp
//   /tmp/a3/exp corpora/data/audio/*.wav        # CHECK=1 also decodes and compares every file
// Prints per file the payload bytes (AudioFlowCodec.encode, current version; no container, no WAV
// header) and bits per sample, then the total. Reads 8/16/24-bit PCM WAV.
import Foundation

func readWAV(_ path: String) -> [[Int32]] {
    let d = [UInt8](FileManager.default.contents(atPath: path)!)
    func u32(_ i: Int) -> Int { Int(d[i]) | Int(d[i+1]) << 8 | Int(d[i+2]) << 16 | Int(d[i+3]) << 24 }
    func u16(_ i: Int) -> Int { Int(d[i]) | Int(d[i+1]) << 8 }
    var p = 12; var ch = 0, bits = 0
    while p + 8 <= d.count {
        let id = String(bytes: d[p..<p+4], encoding: .ascii)!; let n = u32(p + 4)
        if id == "fmt " { ch = u16(p + 10); bits = u16(p + 22) }
        if id == "data" {
            let bps = bits / 8; let frames = min(n, d.count - p - 8) / (bps * ch)
            var out = [[Int32]](repeating: [Int32](repeating: 0, count: frames), count: ch)
            var q = p + 8
            for i in 0..<frames { for c in 0..<ch {
                var v: Int32 = 0
                if bps == 2 { v = Int32(Int16(bitPattern: UInt16(u16(q)))) } else if bps == 1 { v = Int32(d[q]) - 128 }
                else if bps == 3 { let t = Int32(u16(q)) | (Int32(d[q+2]) << 16); v = (t << 8) >> 8 }
                out[c][i] = v; q += bps } }
            return out
        }
        p += 8 + n + (n & 1)
    }
    fatalError()
}
let args = CommandLine.arguments.dropFirst()
let check = ProcessInfo.processInfo.environment["CHECK"] != nil
var total = 0, totalSamples = 0
for path in args {
    let x = readWAV(path)
    let bytes = AudioFlowCodec.encode(x)
    if check {
        let y = try! AudioFlowCodec.decode(bytes, channelCount: x.count, frameCount: x[0].count, sampleBits: 16)
        precondition(y == x, "round trip failed \(path)")
    }
    total += bytes.count; totalSamples += x.count * x[0].count
    print((path as NSString).lastPathComponent, bytes.count, String(format: "%.4f", Double(bytes.count * 8) / Double(x.count * x[0].count)))
}
print("TOTAL", total, String(format: "%.5f", Double(total * 8) / Double(totalSamples)))
