#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Independent jobs on threads of their own: the one concurrency helper of FlowZip (chunks, the
/// strips of an image, a method beside another, training batches).
///
/// ```swift
/// let squares = ParallelJobs.map(10, threads: 3) { i in i * i }   // [0, 1, 4, ..., 81] on 3 threads
/// ```
///
/// The threads are POSIX threads started per call, not Dispatch's `concurrentPerform`: the container
/// codes chunks in parallel and each chunk its strips, and libdispatch runs a nested
/// `concurrentPerform` serially (that left `-T2` on a single image at one core). Each new thread gets
/// an 8 MiB stack (`stackSize`), the main thread's, because the image coders recurse deep. No
/// Foundation and no Dispatch: both cost every process start-up time (bench/results/startup.md).
///
/// No memory is shared between the threads while they run: a worker's results travel back to the
/// caller as the thread's exit value, which `pthread_join` hands over after the thread has ended.
public enum ParallelJobs {
    /// The stack of each thread started here.
    public static let stackSize = 8 << 20

    /// `job(0)`, ..., `job(count − 1)` on up to `threads` threads (the caller's and `threads − 1` new
    /// ones), results in index order, so the outcome never depends on the thread count or timing.
    ///
    /// Worker `w` runs jobs `w, w + threads, w + 2·threads, …` (the callers' jobs are of about equal
    /// size, so a fixed deal balances well and needs no shared counter); at most `threads` jobs run at
    /// once, which bounds memory to that many jobs' working sets. The error of the failed job with the
    /// smallest index is rethrown: on several threads once every job has run, on one as soon as it fails.
    /// A thread that cannot be started costs only speed: its jobs run on the caller's thread.
    public static func map<R: Sendable, E: Error>(
        _ count: Int, threads: Int, _ job: @Sendable (Int) throws(E) -> R
    ) throws(E) -> [R] {
        let workers = min(max(1, threads), count)
        if workers <= 1 { return try (0..<count).map { i throws(E) in try job(i) } }
        // The workers are joined before `withoutActuallyEscaping` returns, so `job` does not escape.
        let shares = withoutActuallyEscaping(job) { job in
            onThreads(workers) { w in
                stride(from: w, to: count, by: workers).map { i in Result { () throws(E) in try job(i) } }
            }
        }
        var results = [R]()
        results.reserveCapacity(count)
        for i in 0..<count { results.append(try shares[i % workers][i / workers].get()) }
        return results
    }

    /// `first` on the calling thread while `second` runs on a new one; both results once both are done.
    /// If `first` throws, its error is rethrown after `second` has finished, so no thread outlives the call.
    public static func pair<A, B: Sendable, E: Error>(
        _ first: () throws(E) -> A, beside second: @Sendable () -> B
    ) throws(E) -> (A, B) {
        // The thread is joined before `withoutActuallyEscaping` returns, so `second` does not escape.
        try withoutActuallyEscaping(second) { second throws(E) in
            guard let thread = JoinableThread(second) else { return (try first(), second()) }
            let a = Result { () throws(E) in try first() }
            let b = thread.join()
            return (try a.get(), b)
        }
    }

    /// `body(0)` on the calling thread and `body(1)`, ..., `body(workers − 1)` on new threads; their
    /// results in order, once all have finished.
    private static func onThreads<T: Sendable>(_ workers: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        // A worker whose thread cannot be started runs on the caller, after the others are started.
        let threads = (1..<workers).map { w in JoinableThread { body(w) } }
        var results = [body(0)]
        for (k, thread) in threads.enumerated() { results.append(thread?.join() ?? body(k + 1)) }
        return results
    }

    /// The number of processors online (at least 1).
    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// A running POSIX thread with a `ParallelJobs.stackSize` stack, computing a `T` that `join` returns.
/// Its owner joins it exactly once.
private struct JoinableThread<T: Sendable> {
    #if canImport(Glibc)
    private let id: pthread_t
    #else
    private let id: pthread_t?
    #endif

    /// Starts `body` on a new thread; nil if the system gave none.
    init?(_ body: @escaping @Sendable () -> T) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, ParallelJobs.stackSize)
        // The entry is retained for the thread, which releases it; its result comes back retained.
        let entry = Unmanaged.passRetained(ThreadEntry { Unmanaged.passRetained(Outcome(body())).toOpaque() }).toOpaque()
        #if canImport(Glibc)
        var id = pthread_t()
        let status = pthread_create(&id, &attributes, { entry in
            Unmanaged<ThreadEntry>.fromOpaque(entry!).takeRetainedValue().run()
        }, entry)
        #else
        var id: pthread_t? = nil
        let status = pthread_create(&id, &attributes, { entry in
            Unmanaged<ThreadEntry>.fromOpaque(entry).takeRetainedValue().run()
        }, entry)
        #endif
        guard status == 0 else {
            Unmanaged<ThreadEntry>.fromOpaque(entry).release()
            return nil
        }
        self.id = id
    }

    /// Waits for the thread to end and returns what it computed.
    func join() -> T {
        var exit: UnsafeMutableRawPointer? = nil
        #if canImport(Glibc)
        pthread_join(id, &exit)
        #else
        pthread_join(id!, &exit)
        #endif
        return Unmanaged<Outcome<T>>.fromOpaque(exit!).takeRetainedValue().value
    }
}

/// What a new thread runs; type-erased, since a C function pointer cannot capture a generic `T`.
private final class ThreadEntry: Sendable {
    let run: @Sendable () -> UnsafeMutableRawPointer
    init(_ run: @escaping @Sendable () -> UnsafeMutableRawPointer) { self.run = run }
}

/// A thread's result, handed to the joining thread through `pthread_join`.
private final class Outcome<T: Sendable>: Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
