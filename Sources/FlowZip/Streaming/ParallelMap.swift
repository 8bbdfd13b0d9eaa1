import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// Write-once slots filled by different threads, each slot by exactly one. A plain buffer, not an array:
/// threads writing different elements of one array would each access the whole array (a data race),
/// while distinct elements of a buffer are distinct memory. `concurrentPerform` returns only after every
/// iteration finished, which orders the writes before `values()`.
private final class ResultSlots<R>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result<R, Error>?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ i: Int, _ value: Result<R, Error>) { slots[i] = value }

    func values() throws -> [R] {
        try slots.map { try $0!.get() }
    }
}

/// Runs `side` on a thread of its own while `main` runs on the calling thread, and returns both results
/// once both are done (also when `main` throws, so `side` never outlives the call). The side thread
/// gets an 8 MiB stack, as large as the main thread's, since it runs the same coders.
func concurrently<A, B: Sendable>(_ main: () throws -> A, beside side: @escaping @Sendable () -> B) rethrows -> (A, B) {
    let result = SideResult<B>()
    let done = DispatchSemaphore(value: 0)
    let started = startThread(stackSize: 8 << 20) {
        result.value = side()
        done.signal()
    }
    if !started { return (try main(), side()) }  // no thread to be had: same results, one after the other
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

/// Starts a detached POSIX thread running `body`; false if the system gave none.
private func startThread(stackSize: Int, _ body: @escaping @Sendable () -> Void) -> Bool {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, stackSize)
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    #if canImport(Glibc)
    var thread = pthread_t()
    #else
    var thread: pthread_t? = nil
    #endif
    let status = pthread_create(&thread, &attributes, { box in
        Unmanaged<ThreadBody>.fromOpaque(box!).takeRetainedValue().body()
        return nil
    }, box)
    if status != 0 { Unmanaged<ThreadBody>.fromOpaque(box).release() }
    return status == 0
}

private final class ThreadBody {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
