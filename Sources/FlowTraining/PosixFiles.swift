#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Files, folders and the clock through the C library: FoundationEssentials, for these few calls,
// cost every flowzip process (which links this module) about 2.7 M instructions of loading.

/// Everything in the file at `path`, or nil if it cannot be opened or read.
public func readWholeFile(_ path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        if got < 0 && errno == EINTR { continue }
        guard got >= 0 else { return nil }
        if got == 0 { return bytes }
        bytes += buffer[..<got]
    }
}

/// A file error with the system's words (`strerror`).
public struct FileError: Error, CustomStringConvertible {
    public let description: String
}

/// Writes `bytes` to `path`, replacing what was there (not atomically: a checkpoint is rewritten in place).
public func writeWholeFile(_ path: String, _ bytes: [UInt8]) throws(FileError) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
    guard descriptor >= 0 else { throw FileError(description: "\(path): \(String(cString: strerror(errno)))") }
    var written = 0
    while written < bytes.count {
        let put = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
        if put < 0 && errno == EINTR { continue }
        guard put > 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw FileError(description: "\(path): \(message)")
        }
        written += put
    }
    guard close(descriptor) == 0 else { throw FileError(description: "\(path): \(String(cString: strerror(errno)))") }
}

/// The paths under `directory`, relative to it, folders included, as FileManager's
/// `subpathsOfDirectory` lists them (symbolic links to folders are listed, not entered); nil if
/// `directory` cannot be read.
func subpaths(of directory: String) -> [String]? {
    guard let folder = opendir(directory) else { return nil }
    defer { closedir(folder) }
    var found = [String]()
    while let entry = readdir(folder) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        if name == "." || name == ".." { continue }
        found.append(name)
        let path = ImageLoader.appendingPathComponent(directory, name)
        var info = stat()
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            found += (subpaths(of: path) ?? []).map { name + "/" + $0 }
        }
    }
    return found
}

/// Seconds on a clock that only goes forward, from an arbitrary start (for rates and time limits).
public func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}
