import CTesseract

/// Process-wide Tesseract settings.
public enum TesseractRuntime {
    /// Stops Debian's OpenMP-built libtesseract from spawning competing threads (a 6x slowdown on 2 cores).
    ///
    /// libgomp reads `OMP_THREAD_LIMIT` before `main`, so setting it in-process is useless; this call has the
    /// same effect. Runs once per process, thread-safely; every `TesseractEngine` init calls it.
    public static func limitOpenMP() { _ = openMPLimited }

    private static let openMPLimited: Bool = {
        omp_set_max_active_levels(0)
        omp_set_num_threads(1)
        return true
    }()
}
