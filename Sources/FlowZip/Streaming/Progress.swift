extension FlowZip {
    /// How far a compression or decompression has got, as handed to a progress handler.
    ///
    /// A handler is called once before any work, after each batch of chunks (at most
    /// ``FlowZip/Options/threads`` chunks) is coded or decoded, and once at the end. To stop the work,
    /// throw from the handler: the call stops before it codes or writes anything more and throws a
    /// ``FlowZipError`` with code ``FlowZipError/Code/cancelled``. (At the last call everything is
    /// already written, and a throw there is ignored.)
    ///
    /// ```swift
    /// let packed = try FlowZip.compress(bytes) { progress in
    ///     print(progress.fractionCompleted ?? 0)
    ///     if userPressedStop { throw CancellationError() }
    /// }
    /// ```
    public struct Progress: Sendable, Equatable {
        /// Input bytes consumed so far: original bytes when compressing, stream bytes when decompressing.
        public var bytesRead: UInt64
        /// Output bytes written so far (to the sink or the returned array).
        public var bytesWritten: UInt64
        /// The size of the whole input, when known: always for in-memory calls, for streaming calls
        /// when the caller passes it.
        public var totalBytes: UInt64?

        /// Creates a progress report.
        public init(bytesRead: UInt64, bytesWritten: UInt64, totalBytes: UInt64?) {
            self.bytesRead = bytesRead
            self.bytesWritten = bytesWritten
            self.totalBytes = totalBytes
        }

        /// `bytesRead / totalBytes`, from 0 to 1; nil when the total is not known.
        public var fractionCompleted: Double? {
            guard let totalBytes else { return nil }
            return totalBytes == 0 ? 1 : min(1, Double(bytesRead) / Double(totalBytes))
        }
    }
}

/// Calls a progress handler and turns anything it throws into `cancelled`.
struct ProgressReporter {
    let total: UInt64?
    let handler: ((FlowZip.Progress) throws -> Void)?

    /// The last report, once everything is written: the work is done, so a handler that throws
    /// now changes nothing.
    func finish(read: UInt64, written: UInt64) {
        _ = try? handler?(FlowZip.Progress(bytesRead: read, bytesWritten: written, totalBytes: total))
    }

    func report(read: UInt64, written: UInt64) throws(FlowZipError) {
        guard let handler else { return }
        do {
            try handler(FlowZip.Progress(bytesRead: read, bytesWritten: written, totalBytes: total))
        } catch let error as FlowZipError where error.code == .cancelled {
            throw error
        } catch is CancellationError {
            throw FlowZipError.cancelled
        } catch {
            throw FlowZipError(.cancelled, "cancelled: \(error)")
        }
    }
}
