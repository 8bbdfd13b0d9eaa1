#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes an output file the safe way: into a hidden temporary file in the destination folder, renamed
/// over the final name only once everything succeeded. If the process is interrupted (SIGINT, SIGTERM,
/// SIGHUP) the temporary file is removed; after SIGKILL only the hidden temporary can remain, never a
/// partial file under the final name.
final class OutputFile {
    let finalPath: String
    let temporaryPath: String
    private let file: OpenedFile
    private var committed = false
    /// The input's times, set just before the file is closed; nil leaves the time of writing.
    var attributes: FileAttributes?

    var descriptor: Int32 { file.descriptor }

    /// Creates the temporary file. Refuses an existing `path` unless `force`.
    init(path: String, force: Bool, mode: mode_t) throws {
        finalPath = path
        if !force && access(path, F_OK) == 0 {
            throw CLIError("\(path) already exists; use -f to overwrite")
        }
        let (folder, name) = splitPath(path)
        var template = Array("\(folder)/.\(name).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw CLIError("cannot create a file in \(folder): \(String(cString: strerror(errno)))") }
        fchmod(fd, mode)
        temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        file = OpenedFile(adopting: fd)
        SignalCleanup.register(temporaryPath)
    }

    /// Flushes to disk and moves the file to its final name.
    func commit() throws {
        do {
            try attributes?.applyTimes(to: file.descriptor)
            guard fsync(file.descriptor) == 0 else { throw CLIError(String(cString: strerror(errno))) }
            try file.close()
        } catch {
            throw CLIError("cannot write \(finalPath): \(error)")
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            throw CLIError("cannot rename to \(finalPath): \(String(cString: strerror(errno)))")
        }
        committed = true
        SignalCleanup.unregister()
    }

    deinit {
        if !committed {
            unlink(temporaryPath)
            SignalCleanup.unregister()
        }
    }
}

/// The folder and the name of `path`: `("dir", "a.fz")` for `dir/a.fz`, `(".", "a.fz")` for `a.fz`.
func splitPath(_ path: String) -> (folder: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    let folder = path[..<slash]
    return (folder.isEmpty ? "/" : String(folder), String(path[path.index(after: slash)...]))
}

/// Removes the temporary output file when a signal ends the process.
enum SignalCleanup {
    /// The one temporary file in flight, as a C string the signal handler can use without allocating.
    nonisolated(unsafe) private static var path: UnsafeMutablePointer<CChar>?

    static func register(_ temporaryPath: String) {
        installHandlers()
        let copy = strdup(temporaryPath)
        let old = path
        path = copy
        free(old)
    }

    static func unregister() {
        let old = path
        path = nil
        free(old)
    }

    nonisolated(unsafe) private static var installed = false

    private static func installHandlers() {
        guard !installed else { return }
        installed = true
        // A parent may have started us with these signals blocked; we want them delivered.
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] {
            sigaddset(&blocked, signalNumber)
        }
        pthread_sigmask(SIG_UNBLOCK, &blocked, nil)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] {
            signal(signalNumber) { received in
                if let path = SignalCleanup.path { unlink(path) }
                _exit(128 + received)
            }
        }
    }
}

/// A one-line error for the user.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Writes a whole file the safe way (a temporary file renamed into place), replacing what was there.
func writeAtomically(_ path: String, _ bytes: [UInt8]) throws {
    let file = try OutputFile(path: path, force: true, mode: 0o644)
    var written = 0
    while written < bytes.count {
        let put = bytes.withUnsafeBytes { write(file.descriptor, $0.baseAddress! + written, $0.count - written) }
        if put < 0 && errno == EINTR { continue }
        guard put > 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
        written += put
    }
    try file.commit()
}
