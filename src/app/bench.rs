//! `borderlens view FILES --bench-frames N`: frame times of the real window, measured as the
//! time between the starts of successive frames (what a user sees). First the files are opened
//! with the window left alone, as a user opening a file waits for it, and the time from the
//! process's start until their exact map shows at their full extent is the "exact map after
//! open". Then they are closed and opened again while the view pans a pixel every
//! frame, like a user dragging (so a heavy layer's image yields to it, `app::yielding`, and
//! comes later than at rest): while the files load, then at the full extent of the loaded
//! overlays and zoomed in 16× on their centre, each once with every frame drawn whole from the
//! layers and once as a pan is drawn (the cached image moved, see `gpu::cache`). At the full
//! extent it also times the view coming to rest: the frames until the exact map is shown, which
//! a heavy map takes several frames to draw, and then the pointer over a new feature of the
//! biggest overlay every frame. Zoomed in, last, it times a jump of a view's width: the frames
//! until the exact map of the new view is shown (for a streamed layer, its new image). Prints a
//! table and exits.

use std::time::Instant;

use crate::map::camera::Camera;

/// How much closer the zoomed view is than the full extent.
pub const ZOOM: f64 = 16.0;
/// Frames drawn before a view's measurement starts (the first ones upload and warm caches).
const WARM_UP: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// The files open with the window left alone, then the view fits them until exact.
    Opening {
        fitted: bool,
    },
    Loading,
    Full,
    FullPan,
    FullRest,
    FullHover,
    Zoomed,
    ZoomedPan,
    ZoomedRest,
    Done,
}

/// Frame times of one view, ms.
pub struct Series {
    pub name: &'static str,
    pub times_ms: Vec<f64>,
    /// Triangles the view holds in the last frame (after level of detail and culling): what
    /// drawing it whole costs.
    pub drawn_triangles: u64,
    /// Triangles each timed frame drew (none where it showed the cached image).
    pub frame_triangles: Vec<u64>,
}

impl Series {
    fn percentile(&self, p: f64) -> f64 {
        let mut t = self.times_ms.clone();
        t.sort_by(f64::total_cmp);
        if t.is_empty() {
            return f64::NAN;
        }
        t[((t.len() - 1) as f64 * p).round() as usize]
    }
}

pub struct FrameBench {
    frames: usize,
    phase: Phase,
    /// Frames drawn in the current phase, warm-up included.
    drawn: usize,
    last_start: Option<Instant>,
    current: Vec<f64>,
    /// Triangles each frame of the current phase drew.
    current_triangles: Vec<u64>,
    pub results: Vec<Series>,
    /// Alternates the one-pixel pan.
    flip: bool,
    /// The process's start, and how long after it the first exact frame of the loaded files
    /// was presented (the "exact map after open").
    started: Instant,
    pub exact_after_open: Option<std::time::Duration>,
}

/// What the app should do after a frame.
pub enum Step {
    /// Draw another frame (the camera was moved a pixel, so it is a real redraw).
    Continue,
    /// Set this camera, then draw on.
    Jump(Camera),
    /// Draw only when the window would anyway (nothing moves).
    Wait,
    /// Close the files and open them again, then draw on.
    Reopen,
    /// Hover this feature (an index, wrapped to the count) of the biggest overlay, then draw
    /// on. A jump hovers nothing.
    Hover(u32),
    /// Print the results and exit.
    Finish,
}

impl FrameBench {
    /// `started`: when the process started.
    pub fn new(frames: usize, started: Instant) -> FrameBench {
        FrameBench {
            started,
            exact_after_open: None,
            frames: frames.max(1),
            phase: Phase::Opening { fitted: false },
            drawn: 0,
            last_start: None,
            current: Vec::new(),
            current_triangles: Vec::new(),
            results: Vec::new(),
            flip: false,
        }
    }

    /// Call at the start of every frame.
    pub fn frame_started(&mut self, now: Instant) {
        if let Some(last) = self.last_start.replace(now) {
            if self.drawn > WARM_UP
                || matches!(
                    self.phase,
                    Phase::Loading | Phase::FullRest | Phase::ZoomedRest
                )
            {
                self.current.push((now - last).as_secs_f64() * 1000.0);
            }
        }
        self.drawn += 1;
    }

    /// Whether the window may show its cached map image moved (panning frames) rather than draw
    /// the map (the exact-frame measurements).
    pub fn may_move_cache(&self) -> bool {
        matches!(
            self.phase,
            Phase::Loading | Phase::FullPan | Phase::ZoomedPan
        )
    }

    /// Whether a map too heavy for one frame may be drawn over several (not when timing whole
    /// draws).
    pub fn progressive(&self) -> bool {
        !matches!(self.phase, Phase::Full | Phase::Zoomed)
    }

    /// The files are in: the view the bench times them at (their full extent), once. Taken
    /// at the load itself, before a frame, so that an image asked for there is of that view.
    pub fn fit_on_load(&mut self, full: Camera) -> Option<Camera> {
        match self.phase {
            Phase::Opening { fitted: false } => {
                self.phase = Phase::Opening { fitted: true };
                Some(full)
            }
            _ => None,
        }
    }

    /// Call after every frame: `loading` says whether files are still loading and whether the
    /// view is settled (no level nor image still being made), `full` is the
    /// camera that shows all loaded overlays, `drawn_triangles` what the view draws, `exact`
    /// whether the frame showed the map drawn for its view.
    pub fn frame_done(
        &mut self,
        camera: &mut Camera,
        (loading, settled): (bool, bool),
        full: Camera,
        (drawn_triangles, frame_drew): (u64, u64),
        exact: bool,
    ) -> Step {
        self.flip = !self.flip;
        if self.drawn > WARM_UP
            || matches!(
                self.phase,
                Phase::Loading | Phase::FullRest | Phase::ZoomedRest
            )
        {
            self.current_triangles.push(frame_drew);
        }
        let nudge = if self.flip { 1.0 } else { -1.0 };
        match self.phase {
            Phase::Opening { .. } if loading => Step::Wait,
            Phase::Opening { fitted: false } => {
                self.phase = Phase::Opening { fitted: true };
                Step::Jump(full)
            }
            // Left alone: frames as the window asks for them (a level or image that arrives,
            // a heavy map drawn over frames), as for a user waiting for the file.
            Phase::Opening { fitted: true } if !exact => Step::Wait,
            Phase::Opening { fitted: true } => {
                self.exact_after_open = Some(self.started.elapsed());
                self.phase = Phase::Loading;
                self.drawn = 0;
                self.last_start = None;
                self.current.clear();
                self.current_triangles.clear();
                Step::Reopen
            }
            // Opened again: until loaded and settled (the timed views start from what the
            // window keeps for them).
            Phase::Loading if loading || !settled => {
                camera.pan_pixels(nudge, 0.0);
                Step::Continue
            }
            Phase::Loading => {
                self.end("while loading (opened again)", drawn_triangles, Phase::Full);
                Step::Jump(full)
            }
            Phase::Full | Phase::FullPan | Phase::Zoomed | Phase::ZoomedPan
                if self.drawn < WARM_UP + self.frames + 1 =>
            {
                camera.pan_pixels(nudge, 0.0);
                Step::Continue
            }
            Phase::Full => {
                self.end(
                    "full extent, every frame drawn",
                    drawn_triangles,
                    Phase::FullPan,
                );
                Step::Continue
            }
            Phase::FullPan => {
                self.end("full extent, panning", drawn_triangles, Phase::FullRest);
                // A view the cached image does not show: it is drawn again, at rest.
                let mut rest = full;
                rest.pan_pixels(5.0, 0.0);
                Step::Jump(rest)
            }
            Phase::FullRest if !exact => Step::Continue,
            Phase::FullRest => {
                self.end(
                    "full extent, coming to rest (until exact)",
                    drawn_triangles,
                    Phase::FullHover,
                );
                Step::Hover(0)
            }
            // The pointer over a new feature every frame, the view still: what a user moving the
            // mouse over a big layer sees.
            Phase::FullHover if self.drawn < WARM_UP + self.frames + 1 => {
                Step::Hover(self.drawn as u32 * 7919)
            }
            Phase::FullHover => {
                self.end(
                    "full extent, hovering a new feature each frame",
                    drawn_triangles,
                    Phase::Zoomed,
                );
                let mut zoomed = full;
                zoomed.scale *= ZOOM;
                Step::Jump(zoomed)
            }
            Phase::Zoomed => {
                self.end(
                    "zoomed in 16x, every frame drawn",
                    drawn_triangles,
                    Phase::ZoomedPan,
                );
                Step::Continue
            }
            Phase::ZoomedPan => {
                self.end("zoomed in 16x, panning", drawn_triangles, Phase::ZoomedRest);
                // A view's width on: past the map image and a heavy layer's image (which
                // reach a quarter of a view around the view), so both are made again.
                let mut away = *camera;
                away.pan_pixels(camera.size[0] as f64, 0.0);
                Step::Jump(away)
            }
            Phase::ZoomedRest if !exact => Step::Continue,
            Phase::ZoomedRest => {
                self.end(
                    "zoomed in 16x, a view's width away (until exact)",
                    drawn_triangles,
                    Phase::Done,
                );
                Step::Finish
            }
            Phase::Done => Step::Finish,
        }
    }

    fn end(&mut self, name: &'static str, drawn_triangles: u64, next: Phase) {
        self.results.push(Series {
            name,
            times_ms: std::mem::take(&mut self.current),
            drawn_triangles,
            frame_triangles: std::mem::take(&mut self.current_triangles),
        });
        self.phase = next;
        self.drawn = 0;
        self.last_start = None;
    }

    /// The results as a Markdown table.
    pub fn report(&self, loaded_vertices: u64, mesh_vertices: u64) -> String {
        let mut s = format!(
            "loaded: {loaded_vertices} input vertices, {mesh_vertices} mesh vertices in the meshes made (full, or the levels of detail)\n\
             | view | frames | median ms | p90 ms | max ms | fps (median) | total ms | triangles in view | triangles drawn a frame (median) |\n\
             |---|---|---|---|---|---|---|---|---|\n"
        );
        if let Some(t) = self.exact_after_open {
            s = format!(
                "exact map after open: {:.0} ms\n{s}",
                t.as_secs_f64() * 1000.0
            );
        }
        for r in &self.results {
            if r.times_ms.is_empty() {
                // Exact at once (a pan within the map image's margin): nothing to time.
                s += &format!("| {} | 0 | | | | | 0 | {} | |\n", r.name, r.drawn_triangles);
                continue;
            }
            let median = r.percentile(0.5);
            let mut drew = r.frame_triangles.clone();
            drew.sort_unstable();
            let drew = drew.get(drew.len() / 2).copied().unwrap_or(0);
            s += &format!(
                "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {} | {drew} |\n",
                r.name,
                r.times_ms.len(),
                median,
                r.percentile(0.9),
                r.percentile(1.0),
                1000.0 / median,
                r.times_ms.iter().sum::<f64>(),
                r.drawn_triangles
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn phases_run_in_order_and_measure_intervals() {
        let mut b = FrameBench::new(2, Instant::now());
        let mut cam = Camera::new([100, 100], 1.0);
        let full = cam;
        let mut t = Instant::now();
        let (mut jumps, mut waits, mut reopened_at) = (0, 0, None);
        for frame in 0..100 {
            b.frame_started(t);
            t += Duration::from_millis(10);
            // The files take three frames to load, each time they are opened.
            let loading = match reopened_at {
                None => frame < 3,
                Some(f) => frame < f + 3,
            };
            // At rest, the third frame is exact.
            let exact = !matches!(b.phase, Phase::FullRest | Phase::ZoomedRest) || b.drawn >= 3;
            match b.frame_done(&mut cam, (loading, true), full, (5, 3), exact) {
                Step::Continue => {}
                Step::Jump(c) => {
                    cam = c;
                    jumps += 1;
                }
                Step::Hover(_) => {}
                Step::Wait => waits += 1,
                Step::Reopen => {
                    assert!(reopened_at.is_none(), "opened again once");
                    assert_eq!(jumps, 1, "after the view fitted the opened files");
                    reopened_at = Some(frame + 1);
                }
                Step::Finish => break,
            }
        }
        assert_eq!(
            waits, 3,
            "the window is left alone while the files first open"
        );
        assert!(reopened_at.is_some());
        assert_eq!(jumps, 5);
        let names: Vec<_> = b.results.iter().map(|r| r.name).collect();
        assert_eq!(
            names,
            [
                "while loading (opened again)",
                "full extent, every frame drawn",
                "full extent, panning",
                "full extent, coming to rest (until exact)",
                "full extent, hovering a new feature each frame",
                "zoomed in 16x, every frame drawn",
                "zoomed in 16x, panning",
                "zoomed in 16x, a view's width away (until exact)"
            ]
        );
        let counts: Vec<usize> = b.results[1..].iter().map(|r| r.times_ms.len()).collect();
        // Intervals: between the rest phase's three frames, two.
        assert_eq!(counts, [2, 2, 2, 2, 2, 2, 2]);
        assert!(b
            .results
            .iter()
            .all(|r| r.times_ms.iter().all(|&ms| (ms - 10.0).abs() < 1e-6)));
        assert!(b
            .report(1, 2)
            .contains("| full extent, every frame drawn | 2 | 10.0 |"));
        assert!(
            b.report(1, 2).contains("| 20 | 5 | 3 |"),
            "{}",
            b.report(1, 2)
        );
        // The first exact frame after loading is timed from the start.
        assert!(b.exact_after_open.is_some());
        assert!(b.report(1, 2).starts_with("exact map after open: "));
        assert!(b
            .report(1, 2)
            .contains("| full extent, coming to rest (until exact) | 2 | 10.0 | 10.0 | 10.0 | 100.0 | 20 | 5 | 3 |"));
    }
}
