#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an output file takes from its input, as gzip and zstd do: the permission bits and the access
/// and modification times.
struct FileAttributes {
    var mode: mode_t
    /// Access then modification time, as `futimens` takes them.
    var times: [timespec]

    /// For standard input, which has none to pass on: a new file's usual mode, and the time of writing.
    static let standardInput = FileAttributes(mode: 0o644, times: [])

    init(mode: mode_t, times: [timespec]) {
        self.mode = mode
        self.times = times
    }

    init(_ info: stat) {
        mode = info.st_mode & 0o7777
        #if canImport(Darwin)
        times = [info.st_atimespec, info.st_mtimespec]
        #else
        times = [info.st_atim, info.st_mtim]
        #endif
    }

    /// Sets the times on an open file; call after its last write (a write would change them again).
    func applyTimes(to descriptor: Int32) throws {
        guard times.count == 2 else { return }
        guard futimens(descriptor, times) == 0 else {
            throw CLIError("cannot set the modification time: \(String(cString: strerror(errno)))")
        }
    }
}
