#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import Flows

// The async forms run the synchronous code on a thread of their own (with the deep stack the image
// coders need), so a long compression never occupies one of Swift concurrency's few cooperative
// threads; cancelling the calling task stops the work at its next progress point.

extension FlowZip {
    /// Compresses `data` into a FlowZip stream on a thread of its own, without blocking the caller's.
    ///
    /// Cancelling the calling task stops the work after the batch of chunks being coded and throws
    /// ``FlowZipError/Code/cancelled``. `progress` is called from that thread.
    ///
    /// ```swift
    /// let packed = try await FlowZip.compress(bytes, options: .init(threads: 4))
    /// ```
    public static func compress(_ data: some Collection<UInt8>, options: Options = Options(),
                                progress: (@Sendable (Progress) -> Void)? = nil) async throws -> [UInt8] {
        let bytes = Array(data)
        return try await runCancellable(progress) { check in try compress(bytes, options: options, progress: check) }
    }

    /// Compresses the pixels of a PNG or PNM file in pixel mode (``compressImage(_:options:progress:)-93p0l``)
    /// on a thread of its own; cancellation and `progress` work as for ``compress(_:options:progress:)-50ss0``.
    public static func compressImage(_ file: some Collection<UInt8>, options: Options = Options(),
                                     progress: (@Sendable (Progress) -> Void)? = nil) async throws -> [UInt8] {
        let bytes = Array(file)
        return try await runCancellable(progress) { check in try compressImage(bytes, options: options, progress: check) }
    }

    /// Decompresses a whole FlowZip stream on a thread of its own, without blocking the caller's, as
    /// ``decompress(_:threads:models:progress:)-5u1nr`` does; cancelling the calling task stops it with
    /// ``FlowZipError/Code/cancelled``.
    ///
    /// ```swift
    /// let original = try await FlowZip.decompress(packed)
    /// ```
    public static func decompress(_ stream: some Collection<UInt8>, threads: Int = 1, models: [FlowModel] = [],
                                  progress: (@Sendable (Progress) -> Void)? = nil) async throws -> [UInt8] {
        let bytes = Array(stream)
        return try await runCancellable(progress) { check in
            try decompress(bytes, threads: threads, models: models, progress: check)
        }
    }

    /// Runs `work` on a new thread; its progress handler reports to `progress` and throws once the
    /// calling task is cancelled.
    static func runCancellable<T: Sendable>(
        _ progress: (@Sendable (Progress) -> Void)?,
        _ work: @escaping @Sendable (_ check: @escaping (Progress) throws -> Void) throws -> T
    ) async throws -> T {
        if Task.isCancelled { throw FlowZipError.cancelled }
        let flag = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                let status = DetachedThread.start {
                    continuation.resume(with: Result {
                        try work { report in
                            progress?(report)
                            if flag.isSet { throw FlowZipError.cancelled }
                        }
                    })
                }
                if status != 0 {
                    continuation.resume(throwing: FlowZipError.io("cannot start a thread: \(String(cString: strerror(status)))",
                                                                  errno: status))
                }
            }
        } onCancel: {
            flag.set()
        }
    }
}

extension Compressor {
    /// Compresses everything the open file descriptor `input` holds into `output` on a thread of its
    /// own, as ``compress(fromDescriptor:toDescriptor:size:)-2okgr`` does; cancelling the calling task
    /// stops it with ``FlowZipError/Code/cancelled``, leaving in `output` what was written until then
    /// (not a complete stream).
    @discardableResult
    public func compress(fromDescriptor input: Int32, toDescriptor output: Int32, size: UInt64? = nil) async throws -> Summary {
        let compressor = self
        return try await FlowZip.runCancellable(nil) { check in
            var source = FlowZip.FileDescriptorSource(input)
            var sink = FlowZip.FileDescriptorSink(output)
            return try compressor.compress(from: &source, to: &sink, size: size) { report in
                try compressor.progress?(report)
                try check(report)
            }
        }
    }
}

extension Decompressor {
    /// Decompresses the stream the open file descriptor `input` holds into `output` on a thread of its
    /// own, as ``decompress(fromDescriptor:toDescriptor:)-8dat5`` does; cancelling the calling task stops
    /// it with ``FlowZipError/Code/cancelled``, leaving in `output` the whole chunks written until then.
    @discardableResult
    public func decompress(fromDescriptor input: Int32, toDescriptor output: Int32) async throws -> UInt64 {
        let decompressor = self
        return try await FlowZip.runCancellable(nil) { check in
            var source = FlowZip.FileDescriptorSource(input)
            var sink = FlowZip.FileDescriptorSink(output)
            return try decompressor.decompress(from: &source, to: &sink, size: nil) { report in
                try decompressor.progress?(report)
                try check(report)
            }
        }
    }
}

/// Set once by the task's cancellation handler, read by the working thread.
private final class CancellationFlag: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var value = false

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    func set() {
        pthread_mutex_lock(&mutex)
        value = true
        pthread_mutex_unlock(&mutex)
    }

    var isSet: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return value
    }
}

/// A detached POSIX thread with `ParallelJobs.stackSize` of stack (the image coders recurse deep).
private enum DetachedThread {
    /// Starts `body`; returns 0, or `pthread_create`'s error number if the system gave no thread.
    static func start(_ body: @escaping @Sendable () -> Void) -> Int32 {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, ParallelJobs.stackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        // The box is retained for the thread, which releases it.
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        #if canImport(Glibc)
        var id = pthread_t()
        let status = pthread_create(&id, &attributes, { box in
            Unmanaged<Body>.fromOpaque(box!).takeRetainedValue().run()
            return nil
        }, box)
        #else
        var id: pthread_t? = nil
        let status = pthread_create(&id, &attributes, { box in
            Unmanaged<Body>.fromOpaque(box).takeRetainedValue().run()
            return nil
        }, box)
        #endif
        if status != 0 { Unmanaged<Body>.fromOpaque(box).release() }
        return status
    }

    private final class Body: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}
