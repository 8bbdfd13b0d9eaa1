import Foundation

/// One file the benchmark runs on: where it is, which corpus it belongs to, and its content's shape.
public struct CorpusFile: Sendable {
    /// Path on disk.
    public var path: String
    /// Path shown in results: relative to the directory it was found under.
    public var name: String
    /// The table the file's results go into: `images` (8-bit PNM), `png` (8-bit PNG), `images-16bit`,
    /// `png-16bit`, `audio` or `general`. Deeper images get tables of their own: their bits per
    /// sub-pixel are on another scale, and some peers (WebP) cannot code them losslessly.
    public var corpus: String {
        guard case let .image(_, _, _, bitDepth, isPNG) = shape else { return shape.modality.corpusName }
        return (isPNG ? "png" : "images") + (bitDepth > 8 ? "-16bit" : "")
    }
    /// Its content, sniffed from the header.
    public var shape: ContentShape
    /// Size in bytes.
    public var size: Int

    /// Reads and sniffs the file at `path`, shown as `name`.
    public init(path: String, name: String) throws {
        let bytes = try readBytes(path)
        self.path = path
        self.name = name
        self.shape = ContentShape(sniffing: bytes)
        self.size = bytes.count
    }

    /// Every regular file under each of `roots` (a root may itself be a file), sorted by name.
    /// Hidden files and folders (such as fetch.sh's `.cache`) and `*.tmp` files are skipped.
    public static func discover(_ roots: [String]) throws -> [CorpusFile] {
        var files: [CorpusFile] = []
        let manager = FileManager.default
        for root in roots {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: root, isDirectory: &isDirectory) else {
                throw BenchError.missingInput(root)
            }
            guard isDirectory.boolValue else {
                files.append(try CorpusFile(path: root, name: (root as NSString).lastPathComponent))
                continue
            }
            guard let walker = manager.enumerator(atPath: root) else { throw BenchError.missingInput(root) }
            var found: [String] = []
            while let relative = walker.nextObject() as? String {
                let last = (relative as NSString).lastPathComponent
                if last.hasPrefix(".") {
                    walker.skipDescendants()
                    continue
                }
                var isDir: ObjCBool = false
                let full = (root as NSString).appendingPathComponent(relative)
                if manager.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue, !last.hasSuffix(".tmp") {
                    found.append(relative)
                }
            }
            for relative in found.sorted() {
                files.append(try CorpusFile(path: (root as NSString).appendingPathComponent(relative), name: relative))
            }
        }
        return files
    }
}

extension Modality {
    /// The name of the corpus table for this modality.
    public var corpusName: String {
        switch self {
        case .image: return "images"
        case .audio: return "audio"
        case .general: return "general"
        }
    }
}

/// Reads a whole file.
func readBytes(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { throw BenchError.unreadable(path) }
    return [UInt8](data)
}
