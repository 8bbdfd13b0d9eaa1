import Foundation
import Testing
@testable import FlowZipCLI

/// `flowzip --version` says the newest released version in CHANGELOG.md, the one
/// scripts/check-dependency.sh tags: releasing means changing both, and this fails if only one changed.
@Suite struct VersionTests {
    @Test func versionIsTheChangelogsNewestRelease() throws {
        let changelog = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("CHANGELOG.md")
        let released = try String(contentsOf: changelog, encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("## [") && $0.dropFirst(4).first?.isNumber == true }
        let heading = try #require(released)
        let version = heading.dropFirst(4).prefix { $0 != "]" }
        #expect(version == FlowZipCLI.version[...])
        #expect(version.split(separator: ".").count == 3 && version.split(separator: ".").allSatisfy { UInt($0) != nil })
    }
}
