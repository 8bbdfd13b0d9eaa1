import Foundation

/// Applies `transform` to every element on up to `threads` threads; results keep their order, so the
/// output does not depend on the thread count. The first error (by index) is rethrown.
func parallelMap<T: Sendable, R: Sendable>(
    _ items: [T], threads: Int, _ transform: @Sendable (T) throws -> R
) throws -> [R] {
    if threads <= 1 || items.count <= 1 { return try items.map(transform) }
    let results = ResultSlots<R>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: items.count) { i in
        results.set(i, Result { try transform(items[i]) })
    }
    return try results.values()
}

/// Write-once slots filled by different threads, each slot by exactly one.
private final class ResultSlots<R>: @unchecked Sendable {
    private var slots: [Result<R, Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: Result<R, Error>) {
        lock.withLock { slots[i] = value }
    }

    func values() throws -> [R] {
        try slots.map { try $0!.get() }
    }
}

/// Runs `side` on a thread of its own while `main` runs on the calling thread, and returns both results
/// once both are done (also when `main` throws, so `side` never outlives the call).
func concurrently<A, B: Sendable>(_ main: () throws -> A, beside side: @escaping @Sendable () -> B) rethrows -> (A, B) {
    let result = SideResult<B>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        result.value = side()
        done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    defer { done.wait() }
    let a = try main()
    done.wait()
    done.signal()  // balances the deferred wait
    return (a, result.value!)
}

/// Written by the side thread before it signals, read after the wait: the semaphore orders them.
private final class SideResult<B>: @unchecked Sendable {
    var value: B?
}
