#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TextFormatting

/// When to show progress: `--progress` forces it, `--no-progress` turns it off; otherwise it shows
/// when standard error is a terminal and -q is not given (the last of the two options counts).
enum ProgressChoice {
    case automatic, forced, off
}

/// One file's progress on standard error: bytes done of the total, the rate and the time left.
///
///     a.iso: 45% 1.2 GiB / 2.7 GiB, 84.1 MB/s, ETA 0:19
///
/// On a terminal the line rewrites itself (not before half a second, so quick files show nothing unless
/// forced) and is cleared at the end. Elsewhere (`--progress` into a log or a pipe) it is one line per
/// update, at most one a second, plus a last line with the time taken.
final class ProgressMeter: @unchecked Sendable {  // the library calls the handler on one thread at a time
    private let name: String
    private var total: UInt64?
    private let onTerminal: Bool
    private let forced: Bool
    private let start = Console.seconds()
    private var lastShown: Double = -1
    private var shownOnTerminal = false

    /// A meter for `name`, or nil when progress is not to be shown.
    init?(_ name: String, total: UInt64?, choice: ProgressChoice, quiet: Bool) {
        let onTerminal = isatty(STDERR_FILENO) == 1
        switch choice {
        case .off: return nil
        case .automatic: guard onTerminal && !quiet else { return nil }
        case .forced: break
        }
        self.name = name == "-" ? "(stdin)" : name
        self.total = total
        self.onTerminal = onTerminal
        forced = choice == .forced
    }

    /// `done` bytes of the input are through (`total` if the caller learnt it only now).
    func update(_ done: UInt64, total newTotal: UInt64? = nil) {
        if let newTotal { total = newTotal }
        let now = Console.seconds() - start
        if onTerminal {
            guard forced || now >= 0.5, now - lastShown >= 0.2 else { return }
            Console.writeStandardError("\r\u{1B}[K" + line(done, elapsed: now))
            shownOnTerminal = true
        } else {
            guard lastShown < 0 || now - lastShown >= 1 else { return }
            Console.writeStandardError(line(done, elapsed: now) + "\n")
        }
        lastShown = now
    }

    /// The work is done: a terminal's line is cleared, a log gets the last line.
    func finish(_ done: UInt64) {
        let now = Console.seconds() - start
        if onTerminal {
            if shownOnTerminal { Console.writeStandardError("\r\u{1B}[K") }
        } else {
            Console.writeStandardError(line(done, elapsed: now, finished: true) + "\n")
        }
    }

    func line(_ done: UInt64, elapsed: Double, finished: Bool = false) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var text = "\(name): "
        if let total {
            let percent = total == 0 ? 100 : min(100, 100 * Double(done) / Double(total))
            text += String(cFormat: "%.0f%% ", percent.rounded(.down)) + Console.formatBytes(done) + " / " + Console.formatBytes(total)
        } else {
            text += Console.formatBytes(done)
        }
        text += String(cFormat: ", %.1f MB/s", rate / 1e6)
        if finished { return text + String(cFormat: ", done in %.1f s", elapsed) }
        guard let total else { return text }
        guard rate > 0, done > 0 else { return text + ", ETA --:--" }
        return text + ", ETA " + clock(Double(total > done ? total - done : 0) / rate)
    }

    /// `0:19`, `12:05`, `1:02:05`.
    func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        let (hours, minutes, rest) = (whole / 3600, whole / 60 % 60, whole % 60)
        return hours > 0 ? String(cFormat: "%d:%02d:%02d", hours, minutes, rest) : String(cFormat: "%d:%02d", minutes, rest)
    }
}
