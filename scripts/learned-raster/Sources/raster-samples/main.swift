// raster-samples: writes the learned raster conditioner's training samples of PNM images, exactly
// as the codec computes them (Flows' `ImageFlowCodec.rasterSamples`), for scripts/learned-raster/train.py.
//
//   raster-samples OUT_DIR KEEP_EVERY FILE...
//
// For each FILE: OUT_DIR/NAME.feat (Int16 little-endian, samples × RasterSampleSet.featureCount) and
// OUT_DIR/NAME.val (Int32 little-endian, samples × 3: value, base prediction Q8, channel), and one line
// on stdout: NAME width height channels bitDepth samples handMadeRasterBytes.
import FlowTraining
import Flows

#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String, code: Int32 = 1) -> Never {
    let line = "raster-samples: " + message + "\n"
    _ = line.withCString { Glibc.write(2, $0, strlen($0)) }
    exit(code)
}

func writeFile(_ path: String, _ bytes: UnsafeRawBufferPointer) {
    guard let f = fopen(path, "wb") else { fail("cannot write \(path)") }
    if bytes.count > 0 { fwrite(bytes.baseAddress!, 1, bytes.count, f) }
    fclose(f)
}

let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 3, let keep = Int(args[1]), keep >= 1 else {
    fail("usage: raster-samples OUT_DIR KEEP_EVERY FILE...", code: 2)
}
let out = args[0]
for path in args.dropFirst(2) {
    guard let f = fopen(path, "rb") else { fail("cannot open \(path)") }
    var bytes = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        if n <= 0 { break }
        bytes += chunk[0..<n]
    }
    fclose(f)
    do {
        let image = try ImageLoader.parsePNM(bytes, path: path)
        let set = try ImageFlowCodec.rasterSamples(of: image, keepEvery: keep)
        let name = String(path.split(separator: "/").last!.split(separator: ".").first!)
        set.features.withUnsafeBytes { writeFile("\(out)/\(name).feat", $0) }
        var vals = [Int32]()
        vals.reserveCapacity(3 * set.count)
        for k in 0..<set.count { vals += [set.values[k], set.basesQ8[k], Int32(set.channels[k])] }
        vals.withUnsafeBytes { writeFile("\(out)/\(name).val", $0) }
        let size = try ImageFlowCodec.handMadeRasterSize(of: image)
        print(name, image.width, image.height, image.channels, image.bitDepth, set.count, size)
    } catch {
        fail("\(path): \(error)")
    }
}
