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
    static let options = OptionTable([
        .flag("verbose", short: "v", help: "Chunk by chunk: methods, sizes, bits per unit (the default of flowzip info; -l alone lists one line per file, -lv is this)."),
    ] + commonOptions)

    /// Streams to describe (`-` for standard input).
    var files: [String]
    /// Chunk-by-chunk details; else one line per file, as `gzip -l` (what `-l` alone asks for).
    var detailed: Bool

    init(_ parsed: ParsedArguments) throws {
        files = parsed.operands
        // `flowzip info` describes chunk by chunk as it always did; gzip's `-l` lists, and `-lv` details.
        detailed = parsed.has("verbose") || !parsed.has("list")
        if files.isEmpty { throw UsageError.invalid("info needs at least one FILE (- for standard input)") }
    }

    func run() throws {
        var failed = false
        var listed: [(name: String, info: StreamInfo)] = []
        if !detailed { print("  compressed  uncompressed    ratio  methods        name") }
        for file in files {
            do {
                if file == "-" && isatty(STDIN_FILENO) == 1 { throw CLIError("refusing to read compressed data from a terminal") }
                let data = try file == "-" ? readAllBytes(STDIN_FILENO) : OpenedFile(path: file, flags: O_RDONLY).readToEnd()
                let info = try FlowZip.inspect(data)
                print(detailed ? describe(info, name: file) : listLine(compressed: info.compressedSize, original: info.originalSize,
                                                                       methods: methods(info), name: file))
                listed.append((file, info))
            } catch {
                Console.error("\(file): \(error)")
                failed = true
            }
        }
        if !detailed && listed.count > 1 {
            print(listLine(compressed: listed.reduce(0) { $0 + $1.info.compressedSize },
                           original: listed.reduce(0) { $0 + $1.info.originalSize }, methods: "", name: "(total)"))
        }
        if failed { throw CommandFailure() }
    }

    /// The methods a stream's chunks use, in order of first use (`flow+zstd`).
    func methods(_ info: StreamInfo) -> String {
        var names: [String] = []
        for chunk in info.chunks where !names.contains("\(chunk.method)") { names.append("\(chunk.method)") }
        return names.isEmpty ? "-" : names.joined(separator: "+")
    }

    /// One row of `-l`'s table: sizes, compressed size as a share of the original, methods, name.
    func listLine(compressed: UInt64, original: UInt64, methods: String, name: String) -> String {
        let ratio = original == 0 ? 0 : 100 * Double(compressed) / Double(original)
        return String(cFormat: "%12llu  %12llu  %6.2f%%  ", compressed, original, ratio) + padded(methods, 13) + "  " + name
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
