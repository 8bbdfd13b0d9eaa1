#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TextFormatting

/// Messages to standard error, prefixed like gzip's (`flowzip: ...`).
enum Console {
    static func error(_ message: String) {
        writeStandardError("flowzip: \(message)\n")
    }

    /// A progress line that rewrites itself; only when standard error is a terminal.
    static func progress(_ message: String) {
        guard isatty(STDERR_FILENO) == 1 else { return }
        writeStandardError("\r\u{1B}[K\(message)")
    }

    static func endProgress() {
        guard isatty(STDERR_FILENO) == 1 else { return }
        writeStandardError("\r\u{1B}[K")
    }

    /// Seconds on a clock that only goes forward (for rates).
    static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }

    static func formatBytes(_ n: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(n), unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(n) B" : String(cFormat: "%.1f ", value) + units[unit]
    }

    /// All of `text` to standard error, unbuffered; a failure to write there has nowhere to be reported.
    static func writeStandardError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var written = 0
            while written < bytes.count {
                let put = write(STDERR_FILENO, bytes.baseAddress! + written, bytes.count - written)
                if put < 0 && errno == EINTR { continue }
                if put <= 0 { return }
                written += put
            }
        }
    }
}
