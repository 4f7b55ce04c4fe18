//! Helpers shared by the test modules.

use std::path::PathBuf;
use std::sync::Mutex;

/// A fresh folder under the target dir for one test's files.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// lavapipe is fine with parallel devices, but each one takes ~100 MB and a core; tests that
/// render take turns.
pub static GPU: Mutex<()> = Mutex::new(());

pub fn gpu_lock() -> std::sync::MutexGuard<'static, ()> {
    GPU.lock().unwrap_or_else(|e| e.into_inner())
}

/// The borderlens binary built for these tests.
pub fn borderlens() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_borderlens"));
    c.env("XDG_RUNTIME_DIR", std::env::temp_dir());
    c
}

pub fn square(lon: f64, lat: f64, size: f64) -> String {
    format!(
        "[[[{lon},{lat}],[{},{lat}],[{},{}],[{lon},{}],[{lon},{lat}]]]",
        lon + size,
        lon + size,
        lat + size,
        lat + size
    )
}

/// The place ids of the annotation scheme (../shared/eval-dev/README.md), which the base map and
/// the gazetteer must both cover.
pub const SCHEME_PLACES: [&str; 26] = [
    "baku",
    "yerevan",
    "tbilisi",
    "ganja",
    "gyumri",
    "vanadzor",
    "batumi",
    "kutaisi",
    "sukhumi",
    "tskhinvali",
    "stepanakert",
    "shusha",
    "lachin",
    "nakhchivan-city",
    "agdam",
    "fizuli",
    "jabrayil",
    "goris",
    "kapan",
    "jermuk",
    "meghri",
    "tabriz",
    "derbent",
    "vladikavkaz",
    "kars",
    "igdir",
];
