import CommandLineOptions
import FlowZip
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TextFormatting

/// `flowzip info`: what a stream holds, chunk by chunk, without decoding it.
struct Info {
    static let options = OptionTable(commonOptions)

    /// Streams to describe (`-` for standard input).
    var files: [String]

    init(_ parsed: ParsedArguments) throws {
        files = parsed.operands
        if files.isEmpty { throw UsageError.invalid("info needs at least one FILE (- for standard input)") }
    }

    func run() throws {
        var failed = false
        for file in files {
            do {
                if file == "-" && isatty(STDIN_FILENO) == 1 { throw CLIError("refusing to read compressed data from a terminal") }
                let data = try file == "-" ? readAllBytes(STDIN_FILENO) : OpenedFile(path: file, flags: O_RDONLY).readToEnd()
                print(describe(try FlowZip.inspect(data), name: file))
            } catch {
                Console.error("\(file): \(error)")
                failed = true
            }
        }
        if failed { throw CommandFailure() }
    }

    func describe(_ info: StreamInfo, name: String) -> String {
        let ratio = info.originalSize == 0 ? 0 : 100 * Double(info.compressedSize) / Double(info.originalSize)
        var lines = [
            "\(name): \(info.modality) stream (container version \(info.formatVersion)), \(info.chunks.count) "
                + (info.chunks.count == 1 ? "chunk" : "chunks") + " of up to \(info.chunkSize >> 10) KiB",
            String(cFormat: "  %llu -> %llu bytes (%.2f%%), model %016llx", info.originalSize, info.compressedSize,
                   ratio, info.modelID),
            "  chunk  method     kind       raw bytes  coded bytes  bits/unit",
        ]
        if let kind = info.pixelOutput {
            lines.insert("  pixel mode (--image): decompresses to a \(kind == .png ? "PNG" : "PNM") file with the original's pixels", at: 2)
        }
        for (i, chunk) in info.chunks.enumerated() {
            let unit = chunk.modality == .bytes ? "byte" : chunk.modality == .image ? "sub-pixel" : "sample"
            lines.append(String(cFormat: "  %5ld  ", i + 1) + padded("\(chunk.method)", 9) + "  " + padded("\(chunk.modality)", 9)
                         + String(cFormat: " %10ld  %11ld  %9.3f", chunk.rawLength, chunk.codedLength, chunk.bitsPerUnit) + " per \(unit)")
        }
        return lines.joined(separator: "\n")
    }
}

/// `text` followed by spaces up to `width` characters (table columns).
private func padded(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
}
