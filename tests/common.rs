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

/// The viewer end to end under Xvfb, driven by xdotool and read through its frame dump
/// (`BORDERLENS_FRAME_DUMP`): used by the window tests.
pub mod window {
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    use serde_json::Value;

    use super::scratch;

    pub const SIZE: [u32; 2] = [960, 640];
    /// Generous: lavapipe with a frame dump runs at a few frames a second on a loaded machine.
    pub const SETTLE: Duration = Duration::from_secs(30);

    /// A display and a viewer on it; both are killed on drop.
    pub struct Viewer {
        xvfb: Child,
        app: std::sync::Mutex<Option<Child>>,
        pub display: String,
        pub dump: PathBuf,
        pub dir: PathBuf,
        pub window: String,
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
    pub fn start_xvfb() -> (Child, String) {
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
            .expect(
                "Xvfb is needed for the window tests (apt-get install xvfb; tests/run.sh does it)",
            );
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
        pub fn start(name: &str, files: &[&Path]) -> Viewer {
            Viewer::start_with(name, files, SIZE, &[])
        }

        /// A viewer of `size` with extra command-line `args`.
        pub fn start_with(name: &str, files: &[&Path], size: [u32; 2], args: &[&str]) -> Viewer {
            Viewer::start_env(name, files, size, args, &[])
        }

        /// `start_with`, with environment variables set over the defaults (e.g. a shared
        /// `XDG_CONFIG_HOME`).
        pub fn start_env(
            name: &str,
            files: &[&Path],
            size: [u32; 2],
            args: &[&str],
            env: &[(&str, &Path)],
        ) -> Viewer {
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
                .args(["--size", &format!("{}x{}", size[0], size[1])])
                .args(args)
                .args(if args.contains(&"--screenshot") {
                    vec![]
                } else {
                    vec!["--screenshot".into(), dir.join("shot.png").into_os_string()]
                })
                .env("DISPLAY", &v.display)
                .env_remove("WAYLAND_DISPLAY")
                .env("XDG_RUNTIME_DIR", std::env::temp_dir())
                .env("XDG_CONFIG_HOME", dir.join("config"))
                .env_remove("DBUS_SESSION_BUS_ADDRESS")
                .envs(env.iter().copied())
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
        pub fn exit_status(&self) -> Option<std::process::ExitStatus> {
            let mut app = self.app.lock().unwrap_or_else(|e| e.into_inner());
            app.as_mut().and_then(|a| a.try_wait().ok().flatten())
        }

        /// The viewer process is still running.
        pub fn alive(&self) -> bool {
            self.exit_status().is_none()
        }

        pub fn log(&self) -> String {
            std::fs::read_to_string(self.dir.join("viewer.log")).unwrap_or_default()
        }

        pub fn xdotool(&self, args: &[&str]) -> String {
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

        pub fn move_to(&self, p: [f64; 2]) {
            let (x, y) = (p[0].round().to_string(), p[1].round().to_string());
            self.xdotool(&["mousemove", "--window", &self.window, &x, &y]);
        }

        /// In one xdotool run: the pointer moved to `p` (which starts a frame), then `then`
        /// (clicks, keys), so that on a slow frame all of it arrives while that frame is drawn.
        pub fn move_then(&self, p: [f64; 2], then: &[&str]) {
            let (x, y) = (p[0].round().to_string(), p[1].round().to_string());
            let mut args = vec!["mousemove", "--window", &self.window, &x, &y];
            args.extend_from_slice(then);
            self.xdotool(&args);
        }

        /// Moves the pointer and waits for a frame drawn with it there (egui clicks need a hovered
        /// frame; a parked pointer leaves no tooltip over the map).
        pub fn hover(&self, p: [f64; 2]) -> (Value, image::RgbaImage) {
            let after = self.state().map_or(0, |s| frame(&s));
            self.move_to(p);
            self.wait_for(after, "a frame with the pointer moved", |s| {
                at_pointer(s, p)
            })
        }

        /// Moves the pointer to `p` and waits for a frame after frame `after` drawn with the pointer
        /// there, everything loaded and nothing moving.
        pub fn park(&self, after: u64, p: [f64; 2]) -> (Value, image::RgbaImage) {
            self.park_when(after, p, |_| true)
        }

        /// `park`, for a frame that also satisfies `ok`.
        pub fn park_when(
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
        pub fn click(&self) {
            let before = self.state().map_or(0, |s| frame(&s));
            self.xdotool(&["click", "1"]);
            self.wait_for(before, "a frame after the click", |_| true);
        }

        /// Releases the button where the pointer is and waits for the frame that handled it.
        pub fn click_release(&self) {
            let before = self.state().map_or(0, |s| frame(&s));
            self.xdotool(&["mouseup", "1"]);
            self.wait_for(before, "a frame after the release", |_| true);
        }

        pub fn key(&self, key: &str) {
            self.xdotool(&["windowfocus", "--sync", &self.window]);
            self.xdotool(&["key", key]);
        }

        pub fn state(&self) -> Option<Value> {
            let text = std::fs::read_to_string(self.dump.join("state.json")).ok()?;
            serde_json::from_str(&text).ok()
        }

        /// Waits until the frame `s` was presented at least `age` ago (by the viewer's clock,
        /// `presented_ms`): the pointer drawn in it has rested that long.
        pub fn wait_until_older(&self, s: &Value, age: Duration) {
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
        pub fn wait_for(
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
    pub fn at_pointer(s: &Value, p: [f64; 2]) -> bool {
        s["pointer"].as_array().is_some_and(|a| {
            (a[0].as_f64().unwrap() - p[0].round()).abs() < 0.5
                && (a[1].as_f64().unwrap() - p[1].round()).abs() < 0.5
        })
    }

    /// Opens the status bar's projection menu and clicks `name`; returns the frame of the click.
    pub fn choose_projection(v: &Viewer, s: &Value, name: &str) -> Value {
        choose_from_menu(v, s, "projection-menu", &format!("projection:{name}"))
    }

    /// Opens the menu of control `menu` and clicks its control `item`; returns the frame of
    /// the click.
    pub fn choose_from_menu(v: &Viewer, s: &Value, menu: &str, item: &str) -> Value {
        let button = control(s, menu).unwrap_or_else(|| panic!("no {menu} in {s}"));
        v.hover(centre(button));
        v.click();
        // A popup's first frame only sizes it (invisible): its item is clicked where the next
        // frame puts it.
        let (s1, _) = v.wait_for(frame(s), "the open menu", |s| control(s, item).is_some());
        let (s2, _) = v.wait_for(frame(&s1), "the menu laid out", |s| {
            control(s, item).is_some()
        });
        v.hover(centre(control(&s2, item).unwrap()));
        v.click();
        v.state().unwrap()
    }

    /// The most frames the spinner's pace (`app::frame::spinner_pace`: a tenth of the time, 5 a
    /// second at most, one in 2 s at least) allows in `ms` when a frame takes `frame_ms`, with room
    /// for frames that take longer than the one measured and for a frame that work brings in.
    pub fn paced_frames_at_most(ms: u64, frame_ms: f64) -> f64 {
        let pace = (frame_ms * 10.0).clamp(200.0, 2_000.0);
        1.5 * ms as f64 / pace + 2.0
    }

    pub fn frame(s: &Value) -> u64 {
        s["frame"].as_u64().unwrap()
    }

    #[derive(Debug, Clone, Copy)]
    pub struct Cam {
        pub center: [f64; 2],
        pub scale: f64,
        pub size: [f64; 2],
    }

    pub fn cam(s: &Value) -> Cam {
        let f = |v: &Value| v.as_f64().unwrap();
        Cam {
            center: [f(&s["center"][0]), f(&s["center"][1])],
            scale: f(&s["scale"]),
            size: [f(&s["size"][0]), f(&s["size"][1])],
        }
    }

    impl Cam {
        pub fn to_world(self, p: [f64; 2]) -> [f64; 2] {
            [
                self.center[0] + (p[0] - self.size[0] / 2.0) / self.scale,
                self.center[1] - (p[1] - self.size[1] / 2.0) / self.scale,
            ]
        }
        pub fn to_screen(self, w: [f64; 2]) -> [f64; 2] {
            [
                (w[0] - self.center[0]) * self.scale + self.size[0] / 2.0,
                (self.center[1] - w[1]) * self.scale + self.size[1] / 2.0,
            ]
        }
    }

    pub fn lonlat_to_screen(c: &Cam, lon: f64, lat: f64) -> [f64; 2] {
        let (x, y) = borderlens::map::project::Projection::default()
            .project(lon, lat)
            .unwrap();
        c.to_screen([x, y])
    }

    pub fn px(img: &image::RgbaImage, x: i64, y: i64) -> Option<[i32; 3]> {
        if x < 0 || y < 0 || x >= img.width() as i64 || y >= img.height() as i64 {
            return None;
        }
        let p = img.get_pixel(x as u32, y as u32).0;
        Some([p[0] as i32, p[1] as i32, p[2] as i32])
    }

    pub fn diff(a: [i32; 3], b: [i32; 3]) -> i32 {
        (a[0] - b[0]).abs() + (a[1] - b[1]).abs() + (a[2] - b[2]).abs()
    }

    /// The shift of `after` against `before` near `expect` (±`search` px) over `region`
    /// (x0, y0, x1, y1 in `after`): the one with the smallest mean difference.
    pub fn find_shift(
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
    pub fn find_zoom_anchor(
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

    pub fn overlay(dir: &Path, fill: &str) -> PathBuf {
        let path = dir.join("area.geojson");
        write_overlay(&path, fill);
        path
    }

    pub fn write_overlay(path: &Path, fill: &str) {
        let text = format!(
            r##"{{"type":"FeatureCollection","features":[
      {{"type":"Feature","properties":{{"name":"Test area","fill":"{fill}","fill-opacity":1.0,"stroke":"#000000","stroke-width":2}},
        "geometry":{{"type":"Polygon","coordinates":{}}}}}
    ]}}"##,
            super::square(44.0, 40.0, 1.0)
        );
        // As editors do: write beside, then rename over the watched file.
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, path).unwrap();
    }

    pub fn overlay_state(s: &Value) -> Option<&Value> {
        s["layers"]
            .as_array()?
            .iter()
            .find(|l| l["name"] == "area.geojson")
    }

    /// The free map area of a state (x0, y0, x1, y1), shrunk by `m` px.
    pub fn map_rect(s: &Value, m: i64) -> [i64; 4] {
        let r: Vec<i64> = s["map_rect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap().round() as i64)
            .collect();
        [r[0] + m, r[1] + m, r[2] - m, r[3] - m]
    }

    /// Puts `file`'s text on the display's clipboard; the returned xclip process serves it
    /// until killed. Returns once the clipboard holds the text.
    pub fn serve_clipboard(display: &str, file: &Path) -> Clipboard {
        let child = Command::new("xclip")
            .args(["-selection", "clipboard", "-i"])
            .arg(file)
            .env("DISPLAY", display)
            .spawn()
            .expect("xclip is needed for the clipboard tests (apt-get install xclip)");
        let want = std::fs::read_to_string(file).unwrap();
        let t = Instant::now();
        while clipboard_text(display) != want {
            assert!(t.elapsed() < SETTLE, "the clipboard never held {file:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
        Clipboard(child)
    }

    /// The xclip process serving the clipboard; killed on drop.
    pub struct Clipboard(Child);

    impl Drop for Clipboard {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    /// The display's clipboard text (empty when there is none).
    pub fn clipboard_text(display: &str) -> String {
        let out = Command::new("xclip")
            .args(["-selection", "clipboard", "-o"])
            .env("DISPLAY", display)
            .stderr(Stdio::null())
            .output()
            .expect("xclip is needed for the clipboard tests (apt-get install xclip)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A named control's rectangle in a state (x0, y0, x1, y1, physical px).
    pub fn control(s: &Value, name: &str) -> Option<[f64; 4]> {
        let r = s["controls"][name].as_array()?;
        Some([0, 1, 2, 3].map(|i| r[i].as_f64().unwrap()))
    }

    /// The centre of a rectangle.
    pub fn centre(r: [f64; 4]) -> [f64; 2] {
        [(r[0] + r[2]) / 2.0, (r[1] + r[3]) / 2.0]
    }

    /// The layer of a state named `name`.
    pub fn layer<'a>(s: &'a Value, name: &str) -> Option<&'a Value> {
        s["layers"].as_array()?.iter().find(|l| l["name"] == name)
    }

    /// Columns of a frame that are panel, not map: those whose pixels (in `rows`) are mostly the
    /// panel's background colour.
    pub fn panel_columns(img: &image::RgbaImage, panel_bg: [i32; 3], rows: [i64; 2]) -> usize {
        (0..img.width() as i64)
            .filter(|&x| {
                let samples: Vec<bool> = (rows[0]..rows[1])
                    .step_by(4)
                    .map(|y| px(img, x, y).is_some_and(|p| diff(p, panel_bg) <= 6))
                    .collect();
                samples.iter().filter(|b| **b).count() * 2 > samples.len()
            })
            .count()
    }

    /// An article of my own words, long enough that its last paragraph starts out of view, naming
    /// a town only there.
    pub fn long_article(dir: &std::path::Path) -> std::path::PathBuf {
        let mut text = String::from("A long letter about trains and weather\n2025-03-02\n\n");
        for i in 0..40 {
            text.push_str(&format!(
                "Paragraph {i}: the night train was late again, the tea was cold, and the conductor told long stories about snow on the passes while nobody listened.\n\n"
            ));
        }
        text.push_str("At dawn the train finally reached Gyumri, and everyone got off.\n");
        let path = dir.join("letter.txt");
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Great-circle distance in km (haversine, mean Earth radius), written out for the check.
    pub fn haversine_km(a: [f64; 2], b: [f64; 2]) -> f64 {
        let (la1, la2) = (a[1].to_radians(), b[1].to_radians());
        let dlat = la2 - la1;
        let dlon = (b[0] - a[0]).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * 6_371.008_8 * h.sqrt().asin()
    }

    pub fn screen_to_lonlat(c: &Cam, p: [f64; 2]) -> [f64; 2] {
        let w = c.to_world(p);
        let (lon, lat) = borderlens::map::project::Projection::default()
            .unproject(w[0], w[1])
            .unwrap();
        [lon, lat]
    }

    /// The demo article's layer (named after its title).
    pub const DEMO: &str = "Iran and Azerbaijan reopen crossings along their shared border";

    /// The map's share of the width at `size` with the demo article open, on the frame's pixels.
    pub fn map_share_with_demo(name: &str, size: [u32; 2]) -> (Viewer, Value, image::RgbaImage) {
        let v = Viewer::start_with(name, &[], size, &[]);
        let park = [size[0] as f64 / 2.0, size[1] as f64 - 8.0];
        v.move_to(park);
        let (s, img) = v.wait_for(0, "the demo article, settled", |s| {
            layer(s, DEMO).is_some()
                && control(s, "article-title").is_some()
                && !s["moving"].as_bool().unwrap()
                && s["loading"] == 0
        });
        (v, s, img)
    }

    /// A folder of two articles, an overlay and a file that is neither; and a folder of 51
    /// articles (an archive).
    pub fn folders(dir: &Path) -> (PathBuf, PathBuf) {
        let news = dir.join("news");
        std::fs::create_dir_all(&news).unwrap();
        std::fs::write(
            news.join("a.txt"),
            "Snow closes the pass above Jermuk\n2025-01-10\n\nDrivers waited overnight near Jermuk as snow closed the road.\n",
        )
        .unwrap();
        std::fs::write(
            news.join("b.md"),
            "# A new ferry for Baku\n\nA ferry line will link Baku with ports across the sea.\n",
        )
        .unwrap();
        std::fs::write(news.join("notes.csv"), "not,an,article\n").unwrap();
        write_overlay(&news.join("zone.geojson"), "#d01010");
        let archive = dir.join("archive");
        std::fs::create_dir_all(&archive).unwrap();
        for i in 0..51 {
            std::fs::write(archive.join(format!("{i:02}.txt")), "Nothing here.\n").unwrap();
        }
        (news, archive)
    }

    /// A private D-Bus session bus (no services on it), stopped on drop.
    pub struct BusDaemon {
        child: Child,
        pub address: String,
    }

    impl BusDaemon {
        pub fn start() -> BusDaemon {
            use std::io::BufRead;
            let mut child = Command::new("dbus-daemon")
                .args(["--session", "--nofork", "--print-address=1"])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("dbus-daemon is needed for this test (apt-get install dbus-daemon)");
            let mut line = String::new();
            std::io::BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut line)
                .unwrap();
            BusDaemon {
                child,
                address: line.trim().to_string(),
            }
        }

        pub fn stop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    impl Drop for BusDaemon {
        fn drop(&mut self) {
            self.stop();
        }
    }

    /// How many of the 7x7 pixels around (lon, lat) differ between two frames, each seen
    /// through its own camera.
    pub fn changed_at(
        a: &(&Value, &image::RgbaImage),
        b: &(&Value, &image::RgbaImage),
        ll: [f64; 2],
    ) -> usize {
        let pa = lonlat_to_screen(&cam(a.0), ll[0], ll[1]);
        let pb = lonlat_to_screen(&cam(b.0), ll[0], ll[1]);
        (-3..=3)
            .flat_map(|dy| (-3..=3).map(move |dx| (dx, dy)))
            .filter(|&(dx, dy)| {
                let x = px(a.1, pa[0] as i64 + dx, pa[1] as i64 + dy);
                let y = px(b.1, pb[0] as i64 + dx, pb[1] as i64 + dy);
                matches!((x, y), (Some(x), Some(y)) if diff(x, y) > 60)
            })
            .count()
    }
}
