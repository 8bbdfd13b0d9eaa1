import Foundation

/// A command-line codec (cjxl, flac, xz...) run as a child process on the corpus file. Its output
/// is decoded with the matching decoder and checked: bytes for general codecs, pixels for image
/// codecs (PNG and PAM outputs are read back through netpbm's `pngtopam`), samples for audio.
struct PeerCodec: BenchCodec {
    /// How the decoded output is compared with the input.
    enum Check: Sendable {
        case bytes
        case pixels
        case samples
    }

    /// A step's command line: the tool's name and its arguments, `{in}` and `{out}` standing for the
    /// paths. With `toStdout`, the tool writes its result to stdout, which goes to `{out}`.
    struct Command: Sendable {
        var tool: String
        var arguments: [String]
        var toStdout = false

        func run(input: String, output: String, scratch: String, paths: [String: String]) throws -> Subprocess.Result {
            let args = arguments.map { $0.replacingOccurrences(of: "{in}", with: input)
                                          .replacingOccurrences(of: "{out}", with: output) }
            return try Subprocess.check(paths[tool]!, args, stdout: toStdout ? output : nil,
                                        stderr: scratch + "/stderr.txt")
        }
    }

    let name: String
    let modalities: Set<Modality>
    let encoder: Command
    let decoder: Command
    /// Extension of the compressed file.
    let packedSuffix: String
    /// Extension of the decoded file, given the input (djxl picks its output format by extension).
    let decodedSuffix: @Sendable (CorpusFile) -> String
    let check: Check
    /// Also required: only 8-bit images, say.
    var accepts: @Sendable (CorpusFile) -> Bool = { _ in true }
    /// Where the temporary files go.
    let scratch: String
    /// Full paths of the tools, found on PATH.
    let paths: [String: String]

    /// Every tool this codec runs, including the one that reads pixels back.
    var tools: [String] { [encoder.tool, decoder.tool] + (check == .pixels ? ["pngtopam"] : []) }

    func applies(to file: CorpusFile) -> Bool { modalities.contains(file.shape.modality) && accepts(file) }

    func run(_ bytes: [UInt8], file: CorpusFile, timing: TimingPolicy) throws -> CodecRun {
        let packed = "\(scratch)/packed.\(packedSuffix)"
        let decoded = "\(scratch)/decoded.\(decodedSuffix(file))"
        defer { [packed, decoded].forEach { try? FileManager.default.removeItem(atPath: $0) } }
        let encode = try encoder.run(input: file.path, output: packed, scratch: scratch, paths: paths)
        let decode = try decoder.run(input: packed, output: decoded, scratch: scratch, paths: paths)
        let size = try FileManager.default.attributesOfItem(atPath: packed)[.size] as? Int ?? 0
        let mismatch = try compare(original: bytes, file: file, decoded: decoded)
        return CodecRun(compressedSize: size, encodeSeconds: encode.seconds, decodeSeconds: decode.seconds,
                        encodePeakBytes: encode.peakBytes, decodePeakBytes: decode.peakBytes,
                        exact: mismatch == nil, note: mismatch ?? "")
    }

    /// Nil when the decoded file matches the original, else what differs.
    private func compare(original: [UInt8], file: CorpusFile, decoded: String) throws -> String? {
        let output = try readBytes(decoded)
        switch check {
        case .bytes:
            return output == original ? nil : "decoded bytes differ"
        case .samples:
            let a = try PCM(wav: original), b = try PCM(wav: output)
            return a == b ? nil : "decoded samples or format differ"
        case .pixels:
            let a = try pixels(of: original, path: file.path), b = try pixels(of: output, path: decoded)
            return a.samePixels(as: b) ? nil : "decoded pixels differ"
        }
    }

    /// The pixels of an image file: PNM parsed here, PNG through `pngtopam -alphapam`.
    private func pixels(of bytes: [UInt8], path: String) throws -> Raster {
        guard PNGHeader(bytes) != nil else { return try Raster(pnm: bytes) }
        let pam = "\(scratch)/pixels.pam"
        defer { try? FileManager.default.removeItem(atPath: pam) }
        _ = try Subprocess.check(paths["pngtopam"]!, ["-alphapam", path], stdout: pam, stderr: scratch + "/stderr.txt")
        return try Raster(pnm: try readBytes(pam))
    }
}
