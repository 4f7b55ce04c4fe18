//! `view FILE --bench-frames N`: the measurement issue 15's figures come from, run for real
//! under Xvfb on a heavy (streamed) file.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::window::start_xvfb;
use crate::common::{gpu_lock, scratch};
use crate::lod_tests::heavy_file;

/// The rows the bench prints, in order.
const ROWS: &[&str] = &[
    "while loading (opened again)",
    "full extent, every frame drawn",
    "full extent, panning",
    "full extent, coming to rest (until exact)",
    "full extent, hovering a new feature each frame",
    "zoomed in 16x, every frame drawn",
    "zoomed in 16x, panning",
    "zoomed in 16x, a view's width away (until exact)",
];

#[test]
fn bench_reports_its_rows_and_asks_the_opened_files_image_at_the_load() {
    let _gpu = gpu_lock();
    let file = heavy_file("bench_heavy", 9, |_| {});
    let dir = scratch("bench_run");
    let (mut xvfb, display) = start_xvfb();
    let mut app = Command::new(env!("CARGO_BIN_EXE_borderlens"))
        .arg("view")
        .arg(&file)
        .args(["--size", "900x600", "--bench-frames", "2", "--no-demo"])
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .env("XDG_CONFIG_HOME", dir.join("config"))
        // Levels over 1000 vertices are streamed into the layer's image, as a 100 MB file's.
        .env("BORDERLENS_HOLD_VERTICES", "1000")
        .env("RUST_LOG", "warn,borderlens=debug")
        .stdout(std::fs::File::create(dir.join("report.txt")).unwrap())
        .stderr(std::fs::File::create(dir.join("viewer.log")).unwrap())
        .stdin(Stdio::null())
        .spawn()
        .expect("start borderlens");
    let t = Instant::now();
    let status = loop {
        if let Some(s) = app.try_wait().unwrap() {
            break s;
        }
        if t.elapsed() > Duration::from_secs(300) {
            let _ = app.kill();
            panic!("the bench did not finish in 300 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = xvfb.kill();
    let _ = xvfb.wait();
    let report = std::fs::read_to_string(dir.join("report.txt")).unwrap();
    let log = std::fs::read_to_string(dir.join("viewer.log")).unwrap();
    assert!(status.success(), "{status}:\n{report}\n{log}");

    // From process start to the first exact frame of the file.
    let exact_ms: u64 = report
        .lines()
        .find_map(|l| l.strip_prefix("exact map after open: "))
        .and_then(|l| l.strip_suffix(" ms"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no exact map after open:\n{report}"));
    assert!(exact_ms > 0 && exact_ms < 300_000, "{report}");
    // Every row, in order, with its triangle columns as numbers.
    let rows: Vec<Vec<&str>> = report
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| view"))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    let names: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(names, ROWS, "{report}");
    let full = &rows[1];
    let drawn: u64 = full[7].parse().unwrap();
    let per_frame: u64 = full[8].parse().unwrap();
    assert!(
        drawn > 0 && per_frame == drawn,
        "every frame draws the full extent: {full:?}"
    );

    // The first opening: one image, of the view the bench times (none of the view it left),
    // asked at the load itself, before the window drew another frame with the stand-in.
    let frame_of = |l: &str, after: &str| -> Option<u64> {
        let rest = &l[l.find(after)? + after.len()..];
        rest.split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    };
    // The line the window logs when the file's layer is in (the loading thread's "ready"
    // comes before it, and a frame may end between the two).
    let lines: Vec<&str> = log.lines().collect();
    let loaded = lines
        .iter()
        .position(|l| l.contains(": in the window after frame "))
        .unwrap_or_else(|| panic!("the file never came into the window:\n{log}"));
    let last_frame = frame_of(lines[loaded], ": in the window after frame ").unwrap();
    let opening: Vec<&str> = lines[loaded + 1..]
        .iter()
        .copied()
        .take_while(|l| !l.contains(": in the window after frame "))
        .collect();
    let asked: Vec<u64> = opening
        .iter()
        .filter_map(|l| frame_of(l, ") asked after frame "))
        .collect();
    assert_eq!(asked.len(), 1, "images asked in the opening:\n{log}");
    assert_eq!(
        asked[0], last_frame,
        "the image was asked frames after the load:\n{log}"
    );
}
