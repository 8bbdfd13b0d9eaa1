import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a peer codec's command line and measures it: wall time, and the child's peak resident
/// memory.
///
/// The peak comes from GNU time (`/usr/bin/time -f %M`) when it is installed, else it is not
/// measured. `wait4`'s own `ru_maxrss` cannot be used: posix_spawn starts the child with vfork, and
/// Linux charges the parent's memory high-water mark to the child at exec (measured here: a 28 MB
/// parent made every peer "use" 28 MB, a 200 MB one made `true` use 200 MB). GNU time forks its
/// child from its own small image, so the child's figure is its own (`true`: 1 MB).
enum Subprocess {
    /// What one process run gave.
    struct Result {
        /// Exit code, or nil when a signal ended the process.
        var exitCode: Int32?
        var seconds: Double
        /// Peak resident memory of the process in bytes; nil when GNU time is not installed.
        var peakBytes: Int?
    }

    /// GNU time, if installed (it must understand `-f %M -o FILE`).
    static let gnuTime: String? = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time"),
              let probe = try? run("/usr/bin/time", ["-f", "%M", "-o", "/dev/null", "true"], stdout: nil,
                                   stderr: "/dev/null", measuringPeak: false),
              probe.exitCode == 0 else { return nil }
        return "/usr/bin/time"
    }()

    /// The full path of the executable `name` on PATH, or nil when it is not installed.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments`, stdin from /dev/null, stdout into `stdout` (or
    /// /dev/null) and stderr into `stderr`, and waits for it.
    static func run(_ executable: String, _ arguments: [String], stdout: String?, stderr: String,
                    measuringPeak: Bool = true) throws -> Result {
        if measuringPeak, let time = gnuTime {
            let peakFile = stderr + ".maxrss"
            defer { try? FileManager.default.removeItem(atPath: peakFile) }
            var result = try run(time, ["-f", "%M", "-o", peakFile, executable] + arguments, stdout: stdout,
                                 stderr: stderr, measuringPeak: false)
            let text = (try? String(contentsOfFile: peakFile, encoding: .utf8)) ?? ""
            // GNU time reports kilobytes on the last line (earlier lines tell of a signal).
            result.peakBytes = text.split(separator: "\n").last.flatMap { Int($0) }.map { $0 * 1024 }
            return result
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") }
        defer { (argv + envp).forEach { free($0) } }

        var pid = pid_t()
        let start = Measure.now()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv + [nil], envp + [nil])
        guard spawned == 0 else {
            throw BenchError.codecFailed("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw BenchError.codecFailed("waitpid for \(executable) failed") }
        }
        let seconds = Measure.now() - start
        let exited = status & 0x7F == 0
        return Result(exitCode: exited ? (status >> 8) & 0xFF : nil, seconds: seconds, peakBytes: nil)
    }

    /// Runs the command and throws, quoting the end of its stderr, unless it exits with 0.
    static func check(_ executable: String, _ arguments: [String], stdout: String?, stderr: String) throws -> Result {
        let result = try run(executable, arguments, stdout: stdout, stderr: stderr)
        guard result.exitCode == 0 else {
            let message = (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? ""
            let tail = message.split(separator: "\n").suffix(2).joined(separator: " / ")
            let how = result.exitCode.map { "exit code \($0)" } ?? "a signal"
            throw BenchError.codecFailed("\((executable as NSString).lastPathComponent) ended with \(how): \(tail)")
        }
        return result
    }
}
