//! Navigation as on web maps: drag to pan with inertia, clicks and double-clicks, animated zoom
//! and fly-to. Pure logic over `Camera` with explicit times, so it is unit-tested.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::map::camera::Camera;

/// A press that moves less than this (physical px) is a click, not a drag.
const CLICK_SLOP: f64 = 4.0;
/// Two clicks closer than this in time and space make a double-click.
pub const DOUBLE_CLICK: Duration = Duration::from_millis(400);
/// Pointer samples newer than this set the release velocity.
const VELOCITY_WINDOW: Duration = Duration::from_millis(80);
/// Inertia decays with this time constant and stops below `MIN_SPEED` px/s.
const INERTIA_TAU: f64 = 0.30;
const MIN_SPEED: f64 = 25.0;
/// Flings faster than this are clamped (px/s).
const MAX_SPEED: f64 = 6000.0;

pub const ZOOM_ANIM: Duration = Duration::from_millis(160);
pub const FLY_ANIM: Duration = Duration::from_millis(350);

struct Drag {
    start: [f64; 2],
    last: [f64; 2],
    dragging: bool,
    samples: VecDeque<(Instant, [f64; 2])>,
}

struct Anim {
    from: Camera,
    to: Camera,
    start: Instant,
    duration: Duration,
}

/// What a released button amounted to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Release {
    Click([f64; 2]),
    DoubleClick([f64; 2]),
    DragEnd,
    Nothing,
}

#[derive(Default)]
pub struct Nav {
    drag: Option<Drag>,
    /// Pan velocity in px/s after a fling, and the time of the last step.
    inertia: Option<([f64; 2], Instant)>,
    anim: Option<Anim>,
    last_click: Option<(Instant, [f64; 2])>,
}

fn ease(t: f64) -> f64 {
    // Ease-out cubic: fast start, gentle stop.
    1.0 - (1.0 - t).powi(3)
}

impl Nav {
    /// Something still moves: frames must keep coming.
    pub fn is_moving(&self) -> bool {
        self.inertia.is_some() || self.anim.is_some()
    }

    pub fn is_dragging(&self) -> bool {
        self.drag.as_ref().is_some_and(|d| d.dragging)
    }

    /// Stops any animation or inertia where it is.
    pub fn stop(&mut self) {
        self.inertia = None;
        self.anim = None;
    }

    pub fn press(&mut self, pos: [f64; 2], now: Instant) {
        self.stop();
        let mut samples = VecDeque::new();
        samples.push_back((now, pos));
        self.drag = Some(Drag {
            start: pos,
            last: pos,
            dragging: false,
            samples,
        });
    }

    /// Pointer motion; pans `cam` while dragging. Returns whether the camera moved.
    pub fn motion(&mut self, pos: [f64; 2], now: Instant, cam: &mut Camera) -> bool {
        let Some(d) = &mut self.drag else {
            return false;
        };
        if !d.dragging {
            if (pos[0] - d.start[0]).hypot(pos[1] - d.start[1]) < CLICK_SLOP {
                return false;
            }
            // The drag starts: the map catches up with the whole movement since the press.
            d.dragging = true;
            d.last = d.start;
        }
        cam.pan_pixels(pos[0] - d.last[0], pos[1] - d.last[1]);
        d.last = pos;
        d.samples.push_back((now, pos));
        while d.samples.len() > 2 && now.duration_since(d.samples[0].0) > VELOCITY_WINDOW * 2 {
            d.samples.pop_front();
        }
        true
    }

    pub fn release(&mut self, pos: [f64; 2], now: Instant) -> Release {
        let Some(d) = self.drag.take() else {
            return Release::Nothing;
        };
        if d.dragging {
            if let Some(v) = release_velocity(&d.samples, now) {
                self.inertia = Some((v, now));
            }
            self.last_click = None;
            return Release::DragEnd;
        }
        if let Some((t, p)) = self.last_click {
            if now.duration_since(t) <= DOUBLE_CLICK
                && (p[0] - pos[0]).hypot(p[1] - pos[1]) < CLICK_SLOP * 2.0
            {
                self.last_click = None;
                return Release::DoubleClick(pos);
            }
        }
        self.last_click = Some((now, pos));
        Release::Click(pos)
    }

    /// Animates from `from` to `to`.
    pub fn animate(&mut self, from: Camera, to: Camera, duration: Duration, now: Instant) {
        self.inertia = None;
        self.anim = Some(Anim {
            from,
            to,
            start: now,
            duration,
        });
    }

    /// Where the camera is heading: the end of the running animation, or `current`.
    pub fn target(&self, current: &Camera) -> Camera {
        self.anim.as_ref().map_or(*current, |a| {
            let mut t = a.to;
            t.size = current.size;
            t
        })
    }

    /// Zooms by `factor` about `anchor`, animated, continuing any zoom in progress.
    pub fn zoom(&mut self, cam: &Camera, anchor: [f64; 2], factor: f64, now: Instant) {
        let mut to = self.target(cam);
        to.zoom_about(anchor, factor);
        self.animate(*cam, to, ZOOM_ANIM, now);
    }

    /// Advances animation and inertia to `now`. Returns whether the camera changed.
    pub fn tick(&mut self, now: Instant, cam: &mut Camera) -> bool {
        let mut changed = false;
        if let Some(a) = &self.anim {
            let t = now.duration_since(a.start).as_secs_f64() / a.duration.as_secs_f64().max(1e-6);
            let size = cam.size;
            if t >= 1.0 {
                *cam = a.to;
                self.anim = None;
            } else {
                *cam = Camera::lerp(&a.from, &a.to, ease(t));
            }
            // A resize during the animation wins over the stored size.
            if cam.size != size {
                cam.size = size;
            }
            changed = true;
        }
        if let Some((v, last)) = self.inertia {
            let dt = now.duration_since(last).as_secs_f64().min(0.1);
            let decay = (-dt / INERTIA_TAU).exp();
            // Distance covered while the speed decays over dt: v * tau * (1 - e^(-dt/tau)).
            let k = INERTIA_TAU * (1.0 - decay);
            cam.pan_pixels(v[0] * k, v[1] * k);
            let v = [v[0] * decay, v[1] * decay];
            if v[0].hypot(v[1]) < MIN_SPEED {
                self.inertia = None;
            } else {
                self.inertia = Some((v, now));
            }
            changed = true;
        }
        changed
    }
}

/// The pointer's velocity (px/s) at release, from the samples of the last moments; `None` when
/// the pointer rested before the release.
fn release_velocity(samples: &VecDeque<(Instant, [f64; 2])>, now: Instant) -> Option<[f64; 2]> {
    let recent: Vec<&(Instant, [f64; 2])> = samples
        .iter()
        .filter(|(t, _)| now.duration_since(*t) <= VELOCITY_WINDOW)
        .collect();
    if recent.len() < 2 {
        return None;
    }
    let (t0, p0) = recent[0];
    let (t1, p1) = recent[recent.len() - 1];
    let dt = t1.duration_since(*t0).as_secs_f64();
    if dt < 0.005 {
        return None;
    }
    let mut v = [(p1[0] - p0[0]) / dt, (p1[1] - p0[1]) / dt];
    let speed = v[0].hypot(v[1]);
    if speed < MIN_SPEED * 4.0 {
        return None;
    }
    if speed > MAX_SPEED {
        v = [v[0] * MAX_SPEED / speed, v[1] * MAX_SPEED / speed];
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cam() -> Camera {
        let mut c = Camera::new([800, 600], 1.0);
        c.scale = 2.0;
        c
    }

    fn ms(t0: Instant, n: u64) -> Instant {
        t0 + Duration::from_millis(n)
    }

    #[test]
    fn drag_moves_by_the_pointer_and_a_rest_means_no_inertia() {
        let t0 = Instant::now();
        let mut n = Nav::default();
        let mut c = cam();
        let w = c.screen_to_world([100.0, 100.0]);
        n.press([100.0, 100.0], t0);
        assert!(n.motion([150.0, 130.0], ms(t0, 10), &mut c));
        let s = c.world_to_screen(w);
        assert!((s[0] - 150.0).abs() < 1e-9 && (s[1] - 130.0).abs() < 1e-9);
        // Release 300 ms after the last motion: no fling.
        assert_eq!(n.release([150.0, 130.0], ms(t0, 310)), Release::DragEnd);
        assert!(!n.is_moving());
    }

    #[test]
    fn a_fling_keeps_moving_then_stops() {
        let t0 = Instant::now();
        let mut n = Nav::default();
        let mut c = cam();
        n.press([0.0, 0.0], t0);
        for i in 1..=5 {
            n.motion([i as f64 * 20.0, 0.0], ms(t0, i * 10), &mut c);
        }
        n.release([100.0, 0.0], ms(t0, 55));
        assert!(n.is_moving());
        let before = c.center;
        let mut t = ms(t0, 55);
        let mut steps = 0;
        while n.is_moving() && steps < 1000 {
            t += Duration::from_millis(16);
            n.tick(t, &mut c);
            steps += 1;
        }
        assert!(!n.is_moving(), "inertia never stopped");
        // Moving right drags the map right: the centre goes left (west) in world units.
        assert!(c.center[0] < before[0]);
        // v = 2000 px/s; the total glide is about v * tau = 600 px = 300 km at 2 px/km.
        let glide_px = (before[0] - c.center[0]) * c.scale;
        assert!((400.0..700.0).contains(&glide_px), "{glide_px}");
    }

    #[test]
    fn clicks_and_double_clicks() {
        let t0 = Instant::now();
        let mut n = Nav::default();
        let mut c = cam();
        n.press([10.0, 10.0], t0);
        n.motion([11.0, 11.0], ms(t0, 5), &mut c);
        assert_eq!(
            n.release([11.0, 11.0], ms(t0, 50)),
            Release::Click([11.0, 11.0])
        );
        n.press([11.0, 11.0], ms(t0, 150));
        assert_eq!(
            n.release([11.0, 11.0], ms(t0, 200)),
            Release::DoubleClick([11.0, 11.0])
        );
        n.press([11.0, 11.0], ms(t0, 1000));
        assert_eq!(
            n.release([11.0, 11.0], ms(t0, 1050)),
            Release::Click([11.0, 11.0])
        );
    }

    #[test]
    fn animated_zoom_keeps_the_anchor_on_every_frame() {
        let t0 = Instant::now();
        let mut n = Nav::default();
        let mut c = cam();
        let anchor = [620.0, 130.0];
        let w = c.screen_to_world(anchor);
        n.zoom(&c.clone(), anchor, 1.5, t0);
        // A second wheel step before the first ends continues from its target.
        n.tick(ms(t0, 50), &mut c);
        n.zoom(&c.clone(), anchor, 1.5, ms(t0, 50));
        for k in 1..=30 {
            n.tick(ms(t0, 50 + k * 10), &mut c);
            let s = c.world_to_screen(w);
            assert!((s[0] - anchor[0]).abs() < 1e-6 && (s[1] - anchor[1]).abs() < 1e-6);
        }
        assert!(!n.is_moving());
        assert!((c.scale - 2.0 * 2.25).abs() < 1e-9);
    }
}
