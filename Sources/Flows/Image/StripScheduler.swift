#if canImport(Glibc)
import Glibc
#else
import Dispatch
#endif

/// Runs the independent strip jobs of one image on up to `threads` threads (`-T`).
///
/// Worker `w` takes strips `w, w + threads, w + 2·threads, …` (strips are of nearly equal size, so a
/// fixed deal balances well and needs no shared counter). Results keep strip order, so a stream is
/// the same for every thread count; at most `threads` strips are in flight at once, which bounds
/// memory to that many strips' working sets. The first error by strip index is rethrown.
///
/// The workers are threads of their own (the caller's plus `threads − 1` new ones), not Dispatch's
/// `concurrentPerform`: the container already runs chunks inside `concurrentPerform`, and libdispatch
/// runs a nested one serially, which left `-T2` on a single image at one core.
enum StripScheduler {
    static func map<R>(_ count: Int, threads: Int,
                       _ job: @Sendable (Int) throws(FlowsError) -> R) throws(FlowsError) -> [R] {
        let workers = min(max(1, threads), count)
        if workers <= 1 { return try (0..<count).map { i throws(FlowsError) in try job(i) } }
        let slots = Slots<R>(count: count)
        defer { slots.release() }
        // The workers are joined before this returns, so `job` does not really escape.
        withoutActuallyEscaping(job) { job in
            runWorkers(workers) { w in
                for i in stride(from: w, to: count, by: workers) {
                    do throws(FlowsError) { slots.set(i, .success(try job(i))) } catch { slots.set(i, .failure(error)) }
                }
            }
        }
        return try slots.values()
    }

    /// Runs `body(0)` on the calling thread and `body(1) ... body(workers − 1)` on new threads, and
    /// returns when all have (a thread that cannot be created runs its share on the caller's).
    private static func runWorkers(_ workers: Int, _ body: @escaping @Sendable (Int) -> Void) {
        #if canImport(Glibc)
        var threads = [pthread_t]()
        for w in 1..<workers {
            let context = Unmanaged.passRetained(Work { body(w) }).toOpaque()
            var thread = pthread_t()
            let started = pthread_create(&thread, nil, { context in
                Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body()
                return nil
            }, context)
            if started == 0 {
                threads.append(thread)
            } else {
                Unmanaged<Work>.fromOpaque(context).release()
                body(w)
            }
        }
        body(0)
        for thread in threads { pthread_join(thread, nil) }
        #else
        DispatchQueue.concurrentPerform(iterations: workers, execute: body)
        #endif
    }

    private final class Work: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// One slot per strip, each written by exactly one worker before the workers are joined (the
    /// join is the barrier), so no lock is needed.
    private final class Slots<R>: @unchecked Sendable {
        private let base: UnsafeMutablePointer<Result<R, FlowsError>?>
        private let count: Int

        init(count: Int) {
            self.count = count
            base = .allocate(capacity: count)
            base.initialize(repeating: nil, count: count)
        }

        func set(_ i: Int, _ value: Result<R, FlowsError>) { base[i] = value }

        func values() throws(FlowsError) -> [R] {
            try (0..<count).map { i throws(FlowsError) in try base[i]!.get() }
        }

        func release() {
            base.deinitialize(count: count)
            base.deallocate()
        }
    }
}

extension ImageFlowOptions {
    /// The row ranges of the strips of a `width × height` image: one range if it fits in
    /// `stripPixels`, else the fewest strips of at most `stripPixels` pixels, of heights that differ by
    /// at most one row, so that threads get equal shares (a sliver at the bottom would leave one idle).
    func stripRows(width: Int, height: Int) -> [Range<Int>] {
        let maxRows = max(1, stripPixels / max(1, width))
        guard height > maxRows else { return [0..<height] }
        let count = (height + maxRows - 1) / maxRows
        return (0..<count).map { i in (i * height / count)..<((i + 1) * height / count) }
    }
}
