import Flows
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads the training images: binary PNM files (P5 gray, P6 RGB) from directories, and files of other
/// formats the caller can decode (the command line adds PNG, which this module cannot read itself).
/// 8-bit images are the learned prior's domain; 16-bit ones, other files and files that cannot be read
/// or parsed are listed as skipped, so one damaged file does not stop a long run.
public enum ImageLoader {
    /// File extensions read as PNM.
    public static let extensions: Set<String> = ["ppm", "pgm", "pnm"]

    /// Decodes a whole file to an image; its error's description is the reason given for skipping it.
    public typealias Decoder = @Sendable ([UInt8]) throws -> PixelImage

    /// The 8-bit images under `directories` (recursively, sorted by path for determinism), and the
    /// paths skipped with the reason. `decoders` reads the extensions it names (lowercase, no dot)
    /// beside PNM. Throws `unreadable` for a directory that cannot be listed. No image found is not an
    /// error here, so that the caller can report the skipped files first (then throw `noImages`).
    public static func load(_ directories: [String], decoders: [String: Decoder] = [:]) throws(TrainingError)
        -> (images: [(path: String, image: PixelImage)], skipped: [String]) {
        var paths = [String]()
        for dir in directories {
            guard isDirectory(dir) == true, let names = subpaths(of: dir) else {
                throw .unreadable("\(dir): not a readable directory")
            }
            paths += names.map { appendingPathComponent(dir, $0) }
        }
        var images = [(path: String, image: PixelImage)](), skipped = [String]()
        for path in paths.sorted() {
            guard isDirectory(path) == false else { continue }
            let ext = pathExtension(path).lowercased()
            guard extensions.contains(ext) || decoders[ext] != nil else {
                skipped.append("\(path): not an image file")
                continue
            }
            guard let data = readWholeFile(path) else {
                skipped.append("\(path): cannot open")
                continue
            }
            let image: PixelImage
            if let decode = decoders[ext] {
                do { image = try decode(data) } catch {
                    skipped.append("\(path): \(error)")
                    continue
                }
            } else {
                do { image = try parsePNM(data, path: path) } catch {
                    // parsePNM's reason already starts with the path.
                    if case .unreadable(let reason) = error { skipped.append(reason) } else { skipped.append("\(path): \(error)") }
                    continue
                }
            }
            if image.bitDepth == 8 { images.append((path, image)) } else { skipped.append("\(path): 16-bit") }
        }
        return (images, skipped)
    }

    /// Parses a binary PNM (P5 or P6, maxval ≤ 65535).
    public static func parsePNM(_ bytes: [UInt8], path: String) throws(TrainingError) -> PixelImage {
        var o = 0
        func token() -> String? {
            while o < bytes.count {
                if bytes[o] == UInt8(ascii: "#") { while o < bytes.count && bytes[o] != 10 { o += 1 } }
                else if [9, 10, 13, 32].contains(bytes[o]) { o += 1 } else { break }
            }
            let start = o
            while o < bytes.count && ![9, 10, 13, 32].contains(bytes[o]) { o += 1 }
            return o > start ? String(decoding: bytes[start..<o], as: UTF8.self) : nil
        }
        guard let magic = token(), magic == "P5" || magic == "P6" else { throw .unreadable("\(path): not a binary PNM (P5/P6)") }
        guard let w = token().flatMap({ Int($0) }), let h = token().flatMap({ Int($0) }),
              let maxval = token().flatMap({ Int($0) }), w > 0, h > 0, w <= 1 << 16, h <= 1 << 16, (1...65535).contains(maxval) else {
            throw .unreadable("\(path): bad PNM header")
        }
        o += 1   // the single whitespace byte after maxval
        let channels = magic == "P5" ? 1 : 3, depth = maxval < 256 ? 8 : 16
        let count = w * h * channels * depth / 8
        guard o + count <= bytes.count else { throw .unreadable("\(path): truncated pixel data") }
        do {
            return try PixelImage(interleaved: bytes[o..<o + count], width: w, height: h, channels: channels, bitDepth: depth)
        } catch {
            throw .unreadable("\(path): \(error)")
        }
    }

    /// Whether `path` (symbolic links followed) is a directory; nil if nothing is there.
    static func isDirectory(_ path: String) -> Bool? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// `directory/name`, with one slash between them, as NSString's `appendingPathComponent` gives.
    static func appendingPathComponent(_ directory: String, _ name: String) -> String {
        var directory = Substring(directory)
        while directory.count > 1 && directory.hasSuffix("/") { directory = directory.dropLast() }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// What follows the last dot of the file name, as NSString's `pathExtension` gives ("" for none or
    /// for a name that only starts with a dot).
    static func pathExtension(_ path: String) -> String {
        let name = path.split(separator: "/").last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }
}
