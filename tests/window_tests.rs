//! The viewer end to end: a real window under Xvfb on the software Vulkan driver, driven by real
//! input events (xdotool). The viewer writes each presented frame and its camera
//! (`BORDERLENS_FRAME_DUMP`); the checks compare pixels between frames and the camera's state.
//!
//! Needs `Xvfb`, `xdotool` and `mesa-vulkan-drivers` (tests/run.sh installs them).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{gpu_lock, scratch};

const SIZE: [u32; 2] = [960, 640];
/// Generous: lavapipe with a frame dump runs at a few frames a second on a loaded machine.
const SETTLE: Duration = Duration::from_secs(30);

/// A display and a viewer on it; both are killed on drop.
struct Viewer {
    xvfb: Child,
    app: std::sync::Mutex<Option<Child>>,
    display: String,
    dump: PathBuf,
    dir: PathBuf,
    window: String,
}

impl Drop for Viewer {
    fn drop(&mut self) {
        if let Some(app) = self.app.get_mut().unwrap_or_else(|e| e.into_inner()) {
            let _ = app.kill();
            let _ = app.wait();
        }
        // SIGTERM lets Xvfb remove its socket and lock file; SIGKILL only if it lingers.
        let _ = Command::new("kill")
            .arg(self.xvfb.id().to_string())
            .status();
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(3) {
            if let Ok(Some(_)) = self.xvfb.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}

/// Starts Xvfb on a display number it picks itself (`-displayfd`: it takes the first free one
/// under its own lock files, so parallel test runs cannot collide) and returns it once ready.
fn start_xvfb() -> (Child, String) {
    use std::io::BufRead;
    let (reader, writer) = std::io::pipe().expect("a pipe");
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
            // Without it the server resets when its last client leaves: the readiness probe
            // below is such a client, and a viewer that connects during the reset is hung up on
            // ("cannot open a window", a flake seen once in a few dozen runs).
            "-noreset",
        ])
        .stdout(writer)
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb is needed for the window tests (apt-get install xvfb; tests/run.sh does it)");
    // Xvfb writes the display number once it accepts connections. The pipe is drained for the
    // server's life: a closed pipe would kill it with SIGPIPE at its next write.
    let mut reader = std::io::BufReader::new(reader);
    let mut line = String::new();
    let read = reader.read_line(&mut line);
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    match (read, line.trim().parse::<u32>()) {
        (Ok(_), Ok(n)) => {
            // Wait until a client can connect (a display number just freed can lag behind).
            let display = format!(":{n}");
            let t = Instant::now();
            loop {
                let ok = Command::new("xdotool")
                    .arg("getmouselocation")
                    .env("DISPLAY", &display)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success());
                if ok {
                    return (child, display);
                }
                assert!(
                    t.elapsed() < Duration::from_secs(10),
                    "Xvfb on {display} accepts no connections"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        _ => {
            let _ = child.kill();
            let status = child.wait();
            panic!("Xvfb did not start ({status:?})");
        }
    }
}

impl Viewer {
    fn start(name: &str, files: &[&Path]) -> Viewer {
        let dir = scratch(name);
        let dump = dir.join("dump");
        let (xvfb, display) = start_xvfb();
        let mut v = Viewer {
            xvfb,
            app: Default::default(),
            display,
            dump: dump.clone(),
            dir: dir.clone(),
            window: String::new(),
        };
        let log = std::fs::File::create(dir.join("viewer.log")).unwrap();
        let app = Command::new(env!("CARGO_BIN_EXE_borderlens"))
            .arg("view")
            .args(files)
            .args(["--size", &format!("{}x{}", SIZE[0], SIZE[1])])
            .arg("--screenshot")
            .arg(dir.join("shot.png"))
            .env("DISPLAY", &v.display)
            .env_remove("WAYLAND_DISPLAY")
            .env("XDG_RUNTIME_DIR", std::env::temp_dir())
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("BORDERLENS_FRAME_DUMP", &dump)
            .env("RUST_LOG", "warn,borderlens=info")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start borderlens");
        *v.app.get_mut().unwrap() = Some(app);
        // The window appears once the device is up; fail early if the viewer exits instead.
        let t = Instant::now();
        v.window = loop {
            let out = Command::new("xdotool")
                .args(["search", "--name", "^borderlens$"])
                .env("DISPLAY", &v.display)
                .output()
                .expect("xdotool is needed for the window tests (apt-get install xdotool)");
            let text = String::from_utf8_lossy(&out.stdout);
            if let Some(id) = text.lines().next() {
                break id.trim().to_string();
            }
            if let Some(status) = v.exit_status() {
                let xvfb = v.xvfb.try_wait();
                panic!(
                    "the viewer exited ({status}) before its window appeared on {} (Xvfb exited: {xvfb:?}):\n{}",
                    v.display,
                    v.log()
                );
            }
            assert!(
                t.elapsed() < SETTLE,
                "no viewer window after {SETTLE:?}:\n{}",
                v.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        v
    }

    /// How the viewer exited, if it did.
    fn exit_status(&self) -> Option<std::process::ExitStatus> {
        let mut app = self.app.lock().unwrap_or_else(|e| e.into_inner());
        app.as_mut().and_then(|a| a.try_wait().ok().flatten())
    }

    /// The viewer process is still running.
    fn alive(&self) -> bool {
        self.exit_status().is_none()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("viewer.log")).unwrap_or_default()
    }

    fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display)
            .output()
            .expect("xdotool is needed for the window tests (apt-get install xdotool)");
        assert!(
            out.status.success(),
            "xdotool {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn move_to(&self, p: [f64; 2]) {
        let (x, y) = (p[0].round().to_string(), p[1].round().to_string());
        self.xdotool(&["mousemove", "--window", &self.window, &x, &y]);
    }

    /// Moves the pointer and waits for a frame drawn with it there (egui clicks need a hovered
    /// frame; a parked pointer leaves no tooltip over the map).
    fn hover(&self, p: [f64; 2]) -> (Value, image::RgbaImage) {
        let after = self.state().map_or(0, |s| frame(&s));
        self.move_to(p);
        self.wait_for(after, "a frame with the pointer moved", |s| {
            at_pointer(s, p)
        })
    }

    /// Moves the pointer to `p` and waits for a frame after frame `after` drawn with the pointer
    /// there, everything loaded and nothing moving.
    fn park(&self, after: u64, p: [f64; 2]) -> (Value, image::RgbaImage) {
        self.park_when(after, p, |_| true)
    }

    /// `park`, for a frame that also satisfies `ok`.
    fn park_when(
        &self,
        after: u64,
        p: [f64; 2],
        ok: impl Fn(&Value) -> bool,
    ) -> (Value, image::RgbaImage) {
        self.move_to(p);
        self.wait_for(after, "a settled frame with the pointer parked", |s| {
            at_pointer(s, p)
                && !s["moving"].as_bool().unwrap()
                && s["loading"].as_u64() == Some(0)
                && ok(s)
        })
    }

    /// Clicks where the pointer is and waits for the frame that handled it.
    fn click(&self) {
        let before = self.state().map_or(0, |s| frame(&s));
        self.xdotool(&["click", "1"]);
        self.wait_for(before, "a frame after the click", |_| true);
    }

    fn key(&self, key: &str) {
        self.xdotool(&["windowfocus", "--sync", &self.window]);
        self.xdotool(&["key", key]);
    }

    fn state(&self) -> Option<Value> {
        let text = std::fs::read_to_string(self.dump.join("state.json")).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Waits until the frame `s` was presented at least `age` ago (by the viewer's clock,
    /// `presented_ms`): the pointer drawn in it has rested that long.
    fn wait_until_older(&self, s: &Value, age: Duration) {
        let presented = s["presented_ms"].as_u64().unwrap() as u128;
        let t = Instant::now();
        loop {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_millis();
            if now >= presented + age.as_millis() {
                return;
            }
            assert!(t.elapsed() < SETTLE, "the clock does not advance");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for a frame newer than `after` that satisfies `ok`, and returns it with its pixels.
    fn wait_for(
        &self,
        after: u64,
        what: &str,
        ok: impl Fn(&Value) -> bool,
    ) -> (Value, image::RgbaImage) {
        let t = Instant::now();
        loop {
            if let Some(s) = self.state() {
                if frame(&s) > after && ok(&s) {
                    let png = self.dump.join(s["png"].as_str().unwrap());
                    if let Ok(img) = image::open(&png) {
                        return (s, img.to_rgba8());
                    }
                }
            }
            if let Some(status) = self.exit_status() {
                panic!(
                    "the viewer exited ({status}) while waiting for {what}:\n{}",
                    self.log()
                );
            }
            assert!(
                t.elapsed() < SETTLE,
                "timed out waiting for {what}; last state: {:?}\nviewer log:\n{}",
                self.state(),
                self.log()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

/// The frame was drawn with the pointer at `p`.
fn at_pointer(s: &Value, p: [f64; 2]) -> bool {
    s["pointer"].as_array().is_some_and(|a| {
        (a[0].as_f64().unwrap() - p[0].round()).abs() < 0.5
            && (a[1].as_f64().unwrap() - p[1].round()).abs() < 0.5
    })
}

fn frame(s: &Value) -> u64 {
    s["frame"].as_u64().unwrap()
}

#[derive(Debug, Clone, Copy)]
struct Cam {
    center: [f64; 2],
    scale: f64,
    size: [f64; 2],
}

fn cam(s: &Value) -> Cam {
    let f = |v: &Value| v.as_f64().unwrap();
    Cam {
        center: [f(&s["center"][0]), f(&s["center"][1])],
        scale: f(&s["scale"]),
        size: [f(&s["size"][0]), f(&s["size"][1])],
    }
}

impl Cam {
    fn to_world(self, p: [f64; 2]) -> [f64; 2] {
        [
            self.center[0] + (p[0] - self.size[0] / 2.0) / self.scale,
            self.center[1] - (p[1] - self.size[1] / 2.0) / self.scale,
        ]
    }
    fn to_screen(self, w: [f64; 2]) -> [f64; 2] {
        [
            (w[0] - self.center[0]) * self.scale + self.size[0] / 2.0,
            (self.center[1] - w[1]) * self.scale + self.size[1] / 2.0,
        ]
    }
}

fn lonlat_to_screen(c: &Cam, lon: f64, lat: f64) -> [f64; 2] {
    let (x, y) = borderlens::map::project::Projection::default()
        .project(lon, lat)
        .unwrap();
    c.to_screen([x, y])
}

fn px(img: &image::RgbaImage, x: i64, y: i64) -> Option<[i32; 3]> {
    if x < 0 || y < 0 || x >= img.width() as i64 || y >= img.height() as i64 {
        return None;
    }
    let p = img.get_pixel(x as u32, y as u32).0;
    Some([p[0] as i32, p[1] as i32, p[2] as i32])
}

fn diff(a: [i32; 3], b: [i32; 3]) -> i32 {
    (a[0] - b[0]).abs() + (a[1] - b[1]).abs() + (a[2] - b[2]).abs()
}

/// The shift of `after` against `before` near `expect` (±`search` px) over `region`
/// (x0, y0, x1, y1 in `after`): the one with the smallest mean difference.
fn find_shift(
    before: &image::RgbaImage,
    after: &image::RgbaImage,
    region: [i64; 4],
    expect: [i64; 2],
    search: i64,
) -> ([i64; 2], f64) {
    let mut best = ([0, 0], f64::MAX);
    for sy in expect[1] - search..=expect[1] + search {
        for sx in expect[0] - search..=expect[0] + search {
            let (mut sum, mut n) = (0i64, 0i64);
            for y in (region[1]..region[3]).step_by(2) {
                for x in (region[0]..region[2]).step_by(2) {
                    if let (Some(a), Some(b)) = (px(after, x, y), px(before, x - sx, y - sy)) {
                        sum += diff(a, b) as i64;
                        n += 1;
                    }
                }
            }
            let mean = sum as f64 / n.max(1) as f64;
            if mean < best.1 {
                best = ([sx, sy], mean);
            }
        }
    }
    best
}

/// The anchor of a zoom by `f` (near `expect`) that best maps `before` onto `after` over a
/// window around it, leaving out the lower right where the tooltip sits.
fn find_zoom_anchor(
    before: &image::RgbaImage,
    after: &image::RgbaImage,
    expect: [f64; 2],
    f: f64,
    search: i64,
) -> ([f64; 2], f64) {
    let mut best = ([0.0, 0.0], f64::MAX);
    let (ex, ey) = (expect[0].round() as i64, expect[1].round() as i64);
    for ay in ey - search..=ey + search {
        for ax in ex - search..=ex + search {
            let (mut sum, mut n) = (0i64, 0i64);
            for y in (ey - 90..ey + 90).step_by(2) {
                for x in (ex - 90..ex + 90).step_by(2) {
                    if x > ex - 4 && y > ey - 4 {
                        continue;
                    }
                    let bx = (ax as f64 + (x - ax) as f64 / f).round() as i64;
                    let by = (ay as f64 + (y - ay) as f64 / f).round() as i64;
                    if let (Some(a), Some(b)) = (px(after, x, y), px(before, bx, by)) {
                        sum += diff(a, b) as i64;
                        n += 1;
                    }
                }
            }
            let mean = sum as f64 / n.max(1) as f64;
            if mean < best.1 {
                best = ([ax as f64, ay as f64], mean);
            }
        }
    }
    best
}

fn overlay(dir: &Path, fill: &str) -> PathBuf {
    let path = dir.join("area.geojson");
    write_overlay(&path, fill);
    path
}

fn write_overlay(path: &Path, fill: &str) {
    let text = format!(
        r##"{{"type":"FeatureCollection","features":[
  {{"type":"Feature","properties":{{"name":"Test area","fill":"{fill}","fill-opacity":1.0,"stroke":"#000000","stroke-width":2}},
    "geometry":{{"type":"Polygon","coordinates":{}}}}}
]}}"##,
        crate::common::square(44.0, 40.0, 1.0)
    );
    // As editors do: write beside, then rename over the watched file.
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn overlay_state(s: &Value) -> Option<&Value> {
    s["layers"]
        .as_array()?
        .iter()
        .find(|l| l["name"] == "area.geojson")
}

/// The free map area of a state (x0, y0, x1, y1), shrunk by `m` px.
fn map_rect(s: &Value, m: i64) -> [i64; 4] {
    let r: Vec<i64> = s["map_rect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap().round() as i64)
        .collect();
    [r[0] + m, r[1] + m, r[2] - m, r[3] - m]
}

#[test]
fn window_drag_wheel_and_home() {
    let _gpu = gpu_lock();
    let dir = scratch("window_nav");
    let file = overlay(&dir, "#d01010");
    let v = Viewer::start("window_nav_run", &[&file]);
    // Park the pointer over the layers panel: no hover, no tooltip over the map.
    let park = [100.0, 500.0];
    v.move_to(park);
    v.wait_for(0, "the overlay on screen", |s| overlay_state(s).is_some());
    let (first, img0) = v.park(0, park);
    let c0 = cam(&first);
    let area = lonlat_to_screen(&c0, 44.5, 40.5);
    let p = px(&img0, area[0] as i64, area[1] as i64).unwrap();
    assert!(
        p[0] > 150 && p[1] < 80 && p[2] < 80,
        "the red overlay is drawn: {p:?} at {area:?}"
    );

    // Drag by (dx, dy), resting before the release so there is no fling.
    let (dx, dy) = (-83.0, 47.0);
    let start = lonlat_to_screen(&c0, 45.0, 40.0);
    v.move_to(start);
    v.xdotool(&["mousedown", "1"]);
    v.move_to([start[0] + dx / 2.0, start[1] + dy / 2.0]);
    let end = [start[0] + dx, start[1] + dy];
    v.move_to(end);
    // Release only once the viewer has drawn the pointer at the end and it has rested there
    // longer than the fling's velocity window (by the viewer's own frame clock): no fling.
    let (at_end, _) = v.wait_for(frame(&first), "the drag's last frame", |s| {
        at_pointer(s, end)
    });
    v.wait_until_older(&at_end, Duration::from_millis(250));
    v.xdotool(&["mouseup", "1"]);
    let (s1, img1) = v.park_when(frame(&first), park, |s| cam(s).center != c0.center);
    let c1 = cam(&s1);
    let moved = c1.to_screen(c0.to_world(start));
    assert!(
        (moved[0] - (start[0] + dx)).abs() <= 2.0 && (moved[1] - (start[1] + dy)).abs() <= 2.0,
        "camera: the point under the pointer went from {start:?} to {moved:?}, expected a move of ({dx}, {dy})"
    );
    let region = map_rect(&s1, 100);
    let (shift, err) = find_shift(&img0, &img1, region, [dx as i64, dy as i64], 6);
    assert!(
        (shift[0] as f64 - dx).abs() <= 2.0 && (shift[1] as f64 - dy).abs() <= 2.0 && err < 12.0,
        "pixels moved by {shift:?} (mean diff {err:.1}), expected ({dx}, {dy})"
    );

    // Wheel at P: the geographic point under P stays under P.
    let p_zoom = lonlat_to_screen(&c1, 44.0, 41.0);
    let (before, img_b) = v.park(frame(&s1), p_zoom);
    let cb = cam(&before);
    v.xdotool(&["click", "4"]);
    let (after, img_a) = v.wait_for(frame(&before), "the zoomed view", |s| {
        !s["moving"].as_bool().unwrap() && cam(s).scale > cb.scale * 1.05
    });
    let ca = cam(&after);
    let w = cb.to_world(p_zoom);
    let q = ca.to_screen(w);
    assert!(
        (q[0] - p_zoom[0]).abs() <= 2.0 && (q[1] - p_zoom[1]).abs() <= 2.0,
        "camera: the point under the cursor moved from {p_zoom:?} to {q:?}"
    );
    let f = ca.scale / cb.scale;
    let (anchor, err) = find_zoom_anchor(&img_b, &img_a, p_zoom, f, 5);
    assert!(
        (anchor[0] - p_zoom[0].round()).abs() <= 2.0
            && (anchor[1] - p_zoom[1].round()).abs() <= 2.0
            && err < 25.0,
        "pixels: the zoom (x{f:.2}) kept {anchor:?} fixed (mean diff {err:.1}), expected {p_zoom:?}"
    );

    // Home restores the first view.
    v.hover(park);
    v.key("Home");
    let (home, img_h) = v.wait_for(frame(&after), "the home view", |s| {
        let c = cam(s);
        !s["moving"].as_bool().unwrap() && (c.scale - c0.scale).abs() < 1e-9
    });
    let ch = cam(&home);
    assert!(
        (ch.center[0] - c0.center[0]).abs() < 1e-6 && (ch.center[1] - c0.center[1]).abs() < 1e-6,
        "home centre {:?} != first {:?}",
        ch.center,
        c0.center
    );
    let (shift, err) = find_shift(&img0, &img_h, map_rect(&home, 60), [0, 0], 0);
    assert!(
        shift == [0, 0] && err < 3.0,
        "home view differs from the first: mean diff {err:.1}"
    );
}

#[test]
fn window_watched_overlay_reloads_and_survives_bad_json() {
    let _gpu = gpu_lock();
    let dir = scratch("window_reload");
    let file = overlay(&dir, "#d01010");
    let v = Viewer::start("window_reload_run", &[&file]);
    v.move_to([100.0, 500.0]);
    v.wait_for(0, "the overlay on screen", |s| {
        overlay_state(s).is_some_and(|l| l["fill"] == "#d01010")
    });
    let (s0, img0) = v.park(0, [100.0, 500.0]);
    let c0 = cam(&s0);
    let at = lonlat_to_screen(&c0, 44.5, 40.5);
    let (x, y) = (at[0] as i64, at[1] as i64);
    let red = px(&img0, x, y).unwrap();
    assert!(red[0] > 150 && red[2] < 80, "red overlay: {red:?}");

    // Another fill: the pixels change within 2 s (from the write to the frame's presentation).
    let written = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    write_overlay(&file, "#1030e0");
    let (s1, img1) = v.wait_for(frame(&s0), "the reloaded overlay", |s| {
        overlay_state(s).is_some_and(|l| l["fill"] == "#1030e0")
    });
    let took = Duration::from_millis(
        (s1["presented_ms"].as_u64().unwrap() as u128).saturating_sub(written) as u64,
    );
    let blue = px(&img1, x, y).unwrap();
    assert!(blue[2] > 150 && blue[0] < 80, "blue overlay: {blue:?}");
    assert!(took < Duration::from_secs(2), "the reload took {took:?}");
    let n_layers = s1["layers"].as_array().unwrap().len();

    // Invalid JSON: the old layer stays, and a toast names file, line and column.
    std::fs::write(
        &file,
        "{\"type\": \"FeatureCollection\",\n  \"features\": [ oops ]\n}",
    )
    .unwrap();
    let (s2, img2) = v.wait_for(frame(&s1), "the error toast", |s| {
        s["toast_error"].as_bool() == Some(true)
    });
    let toast = s2["toast"].as_str().unwrap();
    assert!(
        toast.contains("area.geojson:2:"),
        "the toast names the file, line and column: {toast}"
    );
    assert_eq!(s2["layers"].as_array().unwrap().len(), n_layers);
    assert_eq!(overlay_state(&s2).unwrap()["fill"], "#1030e0");
    let still = px(&img2, x, y).unwrap();
    assert!(
        diff(still, blue) < 10,
        "the previous layer stays: {still:?} vs {blue:?}"
    );
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

#[test]
fn window_hover_select_hide_and_save() {
    let _gpu = gpu_lock();
    let dir = scratch("window_ui");
    let file = overlay(&dir, "#d01010");
    let v = Viewer::start("window_ui_run", &[&file]);
    let park = [100.0, 560.0];
    v.move_to(park);
    v.wait_for(0, "the overlay on screen", |s| overlay_state(s).is_some());
    let (s0, img0) = v.park(0, park);
    let c0 = cam(&s0);
    // Hover: the overlay's feature is found and named.
    let inside = lonlat_to_screen(&c0, 44.8, 40.8);
    v.move_to(inside);
    let (s1, _) = v.wait_for(frame(&s0), "the hovered overlay", |s| {
        s["hovered"] == "area.geojson/Test area"
    });
    // Click selects; Esc clears.
    v.xdotool(&["click", "1"]);
    let (s2, _) = v.wait_for(frame(&s1), "the selection", |s| {
        s["selected"] == "area.geojson/Test area"
    });
    v.key("Escape");
    let (s3, _) = v.wait_for(frame(&s2), "the cleared selection", |s| {
        s["selected"].is_null()
    });

    // With the pointer parked off the map, the overlay is drawn as before the hover and the
    // selection: neither highlight is left in its pixels.
    let (s4, img4) = v.park(frame(&s3), park);
    assert!(s4["hovered"].is_null() && s4["selected"].is_null());
    assert_eq!(cam(&s4).center, c0.center);
    let at = lonlat_to_screen(&cam(&s4), 44.5, 40.5);
    let red = px(&img4, at[0] as i64, at[1] as i64).unwrap();
    let plain = px(&img0, at[0] as i64, at[1] as i64).unwrap();
    assert!(red[0] > 150 && red[2] < 80, "red overlay: {red:?}");
    assert!(
        diff(red, plain) < 10,
        "no highlight left: {red:?}, before the hover {plain:?}"
    );
    let r: Vec<f64> = s4["controls"]["visible:area.geojson"]
        .as_array()
        .expect("the overlay's checkbox in the layers panel")
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    // The box itself is at the left end of the checkbox's row.
    let check = [r[0] + 8.0, (r[1] + r[3]) / 2.0];
    v.hover(check);
    v.click();
    v.move_to(park);
    let (s5, img5) = v.wait_for(frame(&s4), "the hidden overlay", |s| {
        overlay_state(s).is_some_and(|l| l["visible"] == false)
    });
    let gone = px(&img5, at[0] as i64, at[1] as i64).unwrap();
    assert!(diff(gone, red) > 100, "the overlay is hidden: {gone:?}");

    // F12 saves the view where --screenshot says, and a toast says so.
    v.key("F12");
    let (s6, _) = v.wait_for(frame(&s5), "the saved-view toast", |s| {
        s["toast"]
            .as_str()
            .is_some_and(|t| t.starts_with("Saved the view"))
    });
    let shot = image::open(v.dir.join("shot.png"))
        .expect("the saved view")
        .to_rgba8();
    // The map's area, without the panels.
    let r = map_rect(&s6, 0);
    assert_eq!(
        shot.dimensions(),
        ((r[2] - r[0]) as u32, (r[3] - r[1]) as u32)
    );

    // Ctrl+O without a desktop portal: a toast, and the window stays.
    v.key("ctrl+o");
    let (s7, _) = v.wait_for(frame(&s6), "the no-dialog toast", |s| {
        s["toast_error"] == true
            && s["toast"]
                .as_str()
                .is_some_and(|t| t.contains("file dialog"))
    });
    // Still alive and drawing.
    v.move_to([600.0, 300.0]);
    v.wait_for(frame(&s7), "a frame after the toast", |_| true);
}

#[test]
fn window_reload_under_stress_keeps_the_last_good_version() {
    let _gpu = gpu_lock();
    let dir = scratch("window_reload_stress");
    let file = overlay(&dir, "#d01010");
    let v = Viewer::start("window_reload_stress_run", &[&file]);
    v.move_to([100.0, 500.0]);
    let (s0, _) = v.wait_for(0, "the overlay on screen", |s| {
        overlay_state(s).is_some_and(|l| l["fill"] == "#d01010")
    });
    let n_layers = s0["layers"].as_array().unwrap().len();

    // 100 rewrites in a row, in place (not atomic), the last one good and green.
    let colours = ["#2040c0", "#c0a000", "#10c020"];
    for i in 0..100 {
        write_overlay(&file, colours[i % 2]);
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, &text).unwrap();
    }
    write_overlay(&file, colours[2]);
    let (s1, _) = v.wait_for(frame(&s0), "the last good rewrite", |s| {
        overlay_state(s).is_some_and(|l| l["fill"] == colours[2])
    });

    // Truncated mid-write: never drawn; the green version stays and an error says why.
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, &good[..good.len() / 2]).unwrap();
    let (s2, _) = v.wait_for(frame(&s1), "the truncation's error", |s| {
        s["toast_error"].as_bool() == Some(true)
    });
    assert_eq!(overlay_state(&s2).unwrap()["fill"], colours[2]);
    assert_eq!(s2["layers"].as_array().unwrap().len(), n_layers);

    // Deleted: the reload fails and says so on the layer, which stays. Recreated good: it
    // recovers and the mark goes.
    std::fs::remove_file(&file).unwrap();
    let (s3, _) = v.wait_for(frame(&s2), "the deleted file's reload error", |s| {
        overlay_state(s).is_some_and(|l| {
            l["reload_error"]
                .as_str()
                .is_some_and(|e| e.contains("area.geojson") && e.contains("cannot read"))
        })
    });
    assert_eq!(overlay_state(&s3).unwrap()["fill"], colours[2]);
    write_overlay(&file, "#e000e0");
    let (s4, _) = v.wait_for(frame(&s3), "the recreated file", |s| {
        overlay_state(s).is_some_and(|l| l["fill"] == "#e000e0")
    });
    assert_eq!(s4["layers"].as_array().unwrap().len(), n_layers);
    assert!(overlay_state(&s4).unwrap()["reload_error"].is_null());
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

#[test]
fn window_loading_alone_redraws_a_few_times_a_second() {
    // The spinner would redraw without pause while a file loads; on a software rasterizer
    // those frames take the cores the load needs. Without input, a few frames a second.
    let _gpu = gpu_lock();
    let dir = scratch("window_loading_pace");
    let file = dir.join("big.geojson");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    borderlens::map::synth::write_overlay(&mut out, 12_000_000, 5).unwrap();
    drop(out);
    let v = Viewer::start("window_loading_pace_run", &[&file]);
    let (first, _) = v.wait_for(0, "a frame while the file loads", |s| {
        s["loading"].as_u64() == Some(1)
    });
    let t = Instant::now();
    let mut last = first.clone();
    while t.elapsed() < Duration::from_millis(1500) {
        match v.state() {
            Some(s) if s["loading"].as_u64() == Some(1) => last = s,
            Some(_) => break,
            None => {}
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let frames = frame(&last) - frame(&first);
    let ms = last["presented_ms"].as_u64().unwrap() - first["presented_ms"].as_u64().unwrap();
    assert!(ms >= 600, "the file loaded too fast to tell ({ms} ms)");
    assert!(
        frames as f64 <= ms as f64 / 150.0 + 1.0,
        "{frames} frames in {ms} ms while loading"
    );
    // The file arrives; on a software rasterizer a map this heavy is drawn over several frames
    // (the old image meanwhile, "drawing the map"), then shown exact.
    let has_file = |s: &Value| {
        s["layers"]
            .as_array()
            .is_some_and(|l| l.iter().any(|l| l["name"] == "big.geojson"))
    };
    let (refining, _) = v.wait_for(frame(&last), "the new map drawn over frames", |s| {
        has_file(s) && s["refining"] == true
    });
    assert_eq!(
        refining["moving"], true,
        "a refining frame is not the view at rest"
    );
    let (exact, img) = v.wait_for(frame(&refining), "the new map exact", |s| {
        has_file(s) && s["refining"] == false && s["moving"] == false
    });
    assert_eq!(exact["loading"], 0);
    // The overlay is on screen: some of its fill colours are in the map area.
    let [x0, y0, x1, y1] = map_rect(&exact, 20);
    let coloured = (y0..y1)
        .step_by(4)
        .flat_map(|y| (x0..x1).step_by(4).map(move |x| (x, y)))
        .filter(|&(x, y)| px(&img, x, y).is_some_and(|p| diff(p, [0x55, 0x55, 0x55]) < 30))
        .count();
    assert!(coloured > 100, "{coloured} outline pixels");
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}
