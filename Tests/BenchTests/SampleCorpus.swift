import Foundation

/// Paths of the committed sample corpus and manifest, found from this file's location.
enum SampleCorpus {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let directory = repository.appendingPathComponent("corpora/sample").path
    static let manifest = repository.appendingPathComponent("corpora/MANIFEST").path

    static func path(_ name: String) -> String { directory + "/" + name }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }
}
