/// The command-line peers the tables compare, with the exact commands of SWIFT-NOTES.md.
enum PeerCodecs {
    /// Every peer whose tools are all installed, and the names of those skipped because a tool is
    /// missing (CI machines may lack them; the tables then simply have fewer rows).
    static func available(scratch: String) -> (codecs: [PeerCodec], skipped: [String]) {
        let names = ["optipng", "pngtopam", "cwebp", "dwebp", "cjxl", "djxl", "flac", "wavpack", "wvunpack", "xz"]
        var paths: [String: String] = [:]
        for name in names { paths[name] = Subprocess.find(name) }
        var codecs: [PeerCodec] = []
        var skipped: [String] = []
        for codec in all(scratch: scratch, paths: paths) {
            let missing = codec.tools.filter { paths[$0] == nil }
            if missing.isEmpty {
                codecs.append(codec)
            } else {
                skipped.append("\(codec.name) (missing \(missing.joined(separator: ", ")))")
            }
        }
        return (codecs, skipped)
    }

    private static func all(scratch: String, paths: [String: String]) -> [PeerCodec] {
        typealias C = PeerCodec.Command
        let pnmOrPNG: @Sendable (CorpusFile) -> String = { file in
            // djxl writes PGM/PPM for ".ppm" but drops alpha: keep alpha by decoding to PNG.
            if case .image(_, _, let channels, _, _) = file.shape, channels == 2 || channels == 4 { return "png" }
            return "ppm"
        }
        let eightBit: @Sendable (CorpusFile) -> Bool = { file in
            if case .image(_, _, _, let depth, _) = file.shape { return depth <= 8 }
            return false
        }
        return [
            PeerCodec(name: "optipng-o2", modalities: [.image],
                      encoder: C(tool: "optipng", arguments: ["-quiet", "-o2", "-strip", "all", "-out", "{out}", "{in}"]),
                      decoder: C(tool: "pngtopam", arguments: ["-alphapam", "{in}"], toStdout: true),
                      packedSuffix: "png", decodedSuffix: { _ in "pam" }, check: .pixels,
                      scratch: scratch, paths: paths),
            PeerCodec(name: "cwebp-z9", modalities: [.image],
                      encoder: C(tool: "cwebp", arguments: ["-quiet", "-lossless", "-z", "9", "-metadata", "none", "{in}", "-o", "{out}"]),
                      decoder: C(tool: "dwebp", arguments: ["-quiet", "{in}", "-pam", "-o", "{out}"]),
                      packedSuffix: "webp", decodedSuffix: { _ in "pam" }, check: .pixels,
                      accepts: eightBit, scratch: scratch, paths: paths),
            PeerCodec(name: "cjxl-e7", modalities: [.image],
                      encoder: C(tool: "cjxl", arguments: ["--quiet", "{in}", "{out}", "-d", "0", "-e", "7"]),
                      decoder: C(tool: "djxl", arguments: ["--quiet", "{in}", "{out}"]),
                      packedSuffix: "jxl", decodedSuffix: pnmOrPNG, check: .pixels,
                      scratch: scratch, paths: paths),
            PeerCodec(name: "flac-8", modalities: [.audio],
                      encoder: C(tool: "flac", arguments: ["-8", "-s", "-f", "{in}", "-o", "{out}"]),
                      decoder: C(tool: "flac", arguments: ["-d", "-s", "-f", "{in}", "-o", "{out}"]),
                      packedSuffix: "flac", decodedSuffix: { _ in "wav" }, check: .samples,
                      scratch: scratch, paths: paths),
            PeerCodec(name: "wavpack-hhx3", modalities: [.audio],
                      encoder: C(tool: "wavpack", arguments: ["-hh", "-x3", "-q", "-y", "{in}", "-o", "{out}"]),
                      decoder: C(tool: "wvunpack", arguments: ["-q", "-y", "{in}", "-o", "{out}"]),
                      packedSuffix: "wv", decodedSuffix: { _ in "wav" }, check: .samples,
                      scratch: scratch, paths: paths),
            PeerCodec(name: "xz-9", modalities: [.image, .audio, .general],
                      encoder: C(tool: "xz", arguments: ["-9", "-c", "-k", "{in}"], toStdout: true),
                      decoder: C(tool: "xz", arguments: ["-d", "-c", "{in}"], toStdout: true),
                      packedSuffix: "xz", decodedSuffix: { _ in "out" }, check: .bytes,
                      scratch: scratch, paths: paths),
        ]
    }
}
