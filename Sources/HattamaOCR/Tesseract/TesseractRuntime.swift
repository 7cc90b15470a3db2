import CTesseract

/// Tesseract's OpenMP settings.
public enum TesseractRuntime {
    /// Stops Debian's OpenMP-built libtesseract from spawning competing threads (a 6x slowdown on 2 cores).
    ///
    /// libgomp reads `OMP_THREAD_LIMIT` before `main`, so setting it in-process is useless; these calls have
    /// the same effect. They set per-thread OpenMP state: a thread created outside OpenMP (a worker of ours)
    /// starts from the defaults, so every thread that runs Tesseract must call this itself. Every
    /// `TesseractEngine` init calls it on the thread that creates, and so uses, the engine. Measured: without
    /// it, a batch worker thread made 178,000 futex calls for 6 pages and spent more time in the kernel than
    /// reading.
    public static func limitOpenMP() {
        omp_set_max_active_levels(0)
        omp_set_num_threads(1)
    }
}
