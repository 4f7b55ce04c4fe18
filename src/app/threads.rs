//! The threads that work for the window, and the memory they free: the load pool (loads and
//! levels of detail, at a lower priority than the window), and handing freed memory back to
//! the system after a heavy file's work.

/// Where a thread hands its result to the window: the window wraps it in its event (see
/// `events`), so that the modules doing the work never name the window's event type and sit
/// below it.
pub trait Post<T>: Fn(T) + Send + Sync + Clone + 'static {}
impl<T, F: Fn(T) + Send + Sync + Clone + 'static> Post<T> for F {}

/// Loads run on a thread pool of their own, a thread per core at a lower priority (see
/// `yield_to_the_window`): idle, the window leaves every core to a load; while it draws, the
/// scheduler gives its thread (and a software rasterizer's) the core first. (One thread short
/// of the cores left a two-core machine loading on one; both cores at nice 10 gave the same
/// frame rate while loading, see BENCHMARKS.md.)
pub(crate) fn load_pool() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        rayon::ThreadPoolBuilder::new()
            .num_threads(cores.max(1))
            .thread_name(|i| format!("load-{i}"))
            .start_handler(|_| yield_to_the_window())
            .build()
            .or_else(|_| rayon::ThreadPoolBuilder::new().num_threads(1).build())
            .expect("a one-thread pool can always be built")
    })
}

/// Loading threads run at a lower priority (nice 10; per thread on Linux), so that frames keep
/// their pace while a big file loads on a machine with few cores.
fn yield_to_the_window() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its arguments; `who = 0` is the calling thread on Linux.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS as _, 0, 10);
    }
}

/// Hands memory freed by a heavy layer back to the system: glibc keeps freed heap pages in
/// its arenas (one per thread that allocated), so after a 100 MB file's text is parsed, its
/// streamed batches drawn or its layer removed, the process would otherwise stay at its peak.
pub(super) fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Tunes glibc's allocator for a heavy file's work, before the threads start (a parameter the
/// user set through glibc's environment, `MALLOC_MMAP_THRESHOLD_` or `MALLOC_TRIM_THRESHOLD_`,
/// stays):
/// - Allocations of 256 KiB and more (a file's read chunks, a streamed batch's mesh) are mapped
///   on their own and unmapped when freed. glibc's default raises that threshold to the largest
///   block freed so far (up to 32 MiB), after which such buffers come from the thread arenas and
///   their freed pages stay resident until a trim: 411-417 MB peak against 383-385 MB on a
///   100 MB file, for an exact map 3-4 % later (page faults on fresh mappings), BENCHMARKS.md.
/// - The heap's free top is kept up to 16 MiB instead of being handed back at every free of
///   more than 128 KiB: the many small batches of a streamed image would otherwise give pages
///   back and fault them in again, batch after batch (an exact map 1.3-2x later on a 100 MB
///   file); 256 MiB was no faster and held 3-8 MB more at the peak. [`return_freed_memory`]
///   trims after the heavy work (round 16 in BENCHMARKS.md).
pub(super) fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    for (variable, parameter, value) in [
        ("MALLOC_MMAP_THRESHOLD_", libc::M_MMAP_THRESHOLD, 256 << 10),
        ("MALLOC_TRIM_THRESHOLD_", libc::M_TRIM_THRESHOLD, 16 << 20),
    ] {
        if std::env::var_os(variable).is_none() {
            // SAFETY: mallopt only sets the allocator's parameter; called before the threads start.
            unsafe {
                libc::mallopt(parameter, value);
            }
        }
    }
}
