import Dispatch

/// A preallocated result buffer that concurrent tasks write, each to its own slot only.
private final class Slots<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T?>
    init(_ n: Int) {
        buffer = .allocate(capacity: n)
        buffer.initialize(repeating: nil)
    }
    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }
}

/// `body(0) ... body(n − 1)` on all cores, results in index order (so the outcome does not depend
/// on thread timing).
func parallelMap<T>(_ n: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = Slots<T>(n)
    DispatchQueue.concurrentPerform(iterations: n) { slots.buffer[$0] = body($0) }
    return slots.buffer.map { $0! }
}
