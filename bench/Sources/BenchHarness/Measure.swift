import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock timing and peak-memory probes for one codec run.
enum Measure {
    /// Seconds on a monotonic clock.
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Runs `body` at least once and again while the total stays under `minSeconds` (at most 20
    /// times), and returns the last result, the fastest time, and the resident memory the first run
    /// added at its peak (nil where the platform cannot tell).
    static func inProcess<T>(minSeconds: Double, _ body: () throws -> T) rethrows -> (T, seconds: Double, peakBytes: Int?) {
        let baseline = PeakMemory.reset()
        var start = now()
        var result = try body()
        var best = now() - start
        let peak = baseline.flatMap { base in PeakMemory.peak().map { max(0, $0 - base) } }
        var total = best
        var runs = 1
        while total < minSeconds && runs < 20 {
            start = now()
            result = try body()
            let elapsed = now() - start
            best = min(best, elapsed)
            total += elapsed
            runs += 1
        }
        return (result, best, peak)
    }
}

/// The process's peak resident memory, resettable on Linux (`/proc/self/clear_refs`, Linux ≥ 4.0), so
/// one in-process codec run's peak can be read on its own.
enum PeakMemory {
    /// Resets the peak to the current resident size and returns that size in bytes; nil if unsupported.
    /// Memory freed by earlier runs is first handed back to the system, so that a run reusing it
    /// still shows as growth.
    static func reset() -> Int? {
        trimMalloc()
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return nil }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return nil }
        return status("VmRSS")
    }

    /// glibc's `malloc_trim(0)`, looked up at run time (its header is not in the Glibc module).
    private static func trimMalloc() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(nil, "malloc_trim") { _ = unsafeBitCast(symbol, to: Trim.self)(0) }
        #endif
    }

    /// The peak resident size in bytes since the last reset; nil if unsupported.
    static func peak() -> Int? { status("VmHWM") }

    /// A `kB` field of /proc/self/status, in bytes.
    private static func status(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.split(separator: " ").first { Int($0) != nil }
            return digits.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }
}
