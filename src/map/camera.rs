//! The view: centre, scale and viewport. Screen ↔ world conversions and the f32 matrix the
//! shaders get. Screen pixels are physical, y down; world units are km, y up. No wgpu types.

use geo::Rect;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    /// World point (km) at the centre of the viewport.
    pub center: [f64; 2],
    /// Physical pixels per world km.
    pub scale: f64,
    /// Viewport size in physical pixels.
    pub size: [u32; 2],
    /// Physical pixels per logical pixel (HiDPI); strokes, markers and labels are sized in logical pixels.
    pub pixel_ratio: f32,
    /// Scale limits (physical px per km).
    pub min_scale: f64,
    pub max_scale: f64,
}

impl Camera {
    /// Zoom limits in logical pixels per km: from the whole region and more (0.05) to city level (~5 m a pixel).
    /// Small enough for the whole world (40,000 km of Web Mercator) in a 300 px window.
    pub const MIN_LOGICAL_SCALE: f64 = 0.005;
    pub const MAX_LOGICAL_SCALE: f64 = 200.0;

    pub fn new(size: [u32; 2], pixel_ratio: f32) -> Camera {
        let r = pixel_ratio as f64;
        Camera {
            center: [0.0, 0.0],
            scale: r,
            size: [size[0].max(1), size[1].max(1)],
            pixel_ratio,
            min_scale: Self::MIN_LOGICAL_SCALE * r,
            max_scale: Self::MAX_LOGICAL_SCALE * r,
        }
    }

    /// A camera that shows `bounds` (world km) whole, centred, with `padding` physical pixels around it.
    pub fn fitting(bounds: Rect<f64>, size: [u32; 2], pixel_ratio: f32, padding: f64) -> Camera {
        let mut c = Camera::new(size, pixel_ratio);
        c.fit(bounds, padding);
        c
    }

    /// Centres `bounds` and scales it to fill the viewport in one dimension.
    pub fn fit(&mut self, bounds: Rect<f64>, padding: f64) {
        let w = (self.size[0] as f64 - 2.0 * padding).max(1.0);
        let h = (self.size[1] as f64 - 2.0 * padding).max(1.0);
        let (bw, bh) = (bounds.width().max(1e-6), bounds.height().max(1e-6));
        let c = bounds.center();
        self.center = [c.x, c.y];
        self.scale = (w / bw).min(h / bh).clamp(self.min_scale, self.max_scale);
    }

    pub fn resize(&mut self, size: [u32; 2], pixel_ratio: f32) {
        let ratio = pixel_ratio as f64 / self.pixel_ratio as f64;
        self.size = [size[0].max(1), size[1].max(1)];
        self.scale *= ratio;
        self.min_scale *= ratio;
        self.max_scale *= ratio;
        self.pixel_ratio = pixel_ratio;
    }

    pub fn screen_to_world(&self, p: [f64; 2]) -> [f64; 2] {
        [
            self.center[0] + (p[0] - self.size[0] as f64 / 2.0) / self.scale,
            self.center[1] - (p[1] - self.size[1] as f64 / 2.0) / self.scale,
        ]
    }

    pub fn world_to_screen(&self, w: [f64; 2]) -> [f64; 2] {
        [
            (w[0] - self.center[0]) * self.scale + self.size[0] as f64 / 2.0,
            (self.center[1] - w[1]) * self.scale + self.size[1] as f64 / 2.0,
        ]
    }

    /// Moves the map with the pointer: a drag of (dx, dy) pixels moves every point by (dx, dy).
    pub fn pan_pixels(&mut self, dx: f64, dy: f64) {
        self.center[0] -= dx / self.scale;
        self.center[1] += dy / self.scale;
    }

    /// Multiplies the scale by `factor` (clamped to the limits) keeping the world point under
    /// `anchor` (screen pixels) where it is.
    pub fn zoom_about(&mut self, anchor: [f64; 2], factor: f64) {
        let before = self.screen_to_world(anchor);
        self.scale = (self.scale * factor).clamp(self.min_scale, self.max_scale);
        let after = self.screen_to_world(anchor);
        self.center[0] += before[0] - after[0];
        self.center[1] += before[1] - after[1];
    }

    /// Where this view's pixels are, for the CPU's pass over a streamed layer (`mesh::cover`).
    pub fn screen(&self) -> crate::mesh::cover::Screen {
        crate::mesh::cover::Screen {
            center: self.center,
            scale: self.scale,
            size: self.size,
            pixel_ratio: self.pixel_ratio,
        }
    }

    /// The world rectangle in view.
    pub fn visible_world(&self) -> Rect<f64> {
        let a = self.screen_to_world([0.0, 0.0]);
        let b = self.screen_to_world([self.size[0] as f64, self.size[1] as f64]);
        Rect::new(a, b)
    }

    /// World → clip space, column-major, with the centre subtracted in f64 so f32 keeps its precision.
    pub fn world_to_clip(&self) -> [[f32; 4]; 4] {
        let sx = 2.0 * self.scale / self.size[0] as f64;
        let sy = 2.0 * self.scale / self.size[1] as f64;
        [
            [sx as f32, 0.0, 0.0, 0.0],
            [0.0, sy as f32, 0.0, 0.0],
            [0.0, 0.0, 1.0, 0.0],
            [
                (-self.center[0] * sx) as f32,
                (-self.center[1] * sy) as f32,
                0.0,
                1.0,
            ],
        ]
    }

    /// Interpolates between two cameras for animated zoom and fly-to: scale geometrically, centre
    /// so that the screen position of the centres moves smoothly. `t` in 0..=1.
    pub fn lerp(a: &Camera, b: &Camera, t: f64) -> Camera {
        let t = t.clamp(0.0, 1.0);
        let scale = a.scale * (b.scale / a.scale).powf(t);
        // Weighting the centre by 1/scale keeps the motion even on screen when the zoom changes.
        let w = if (b.scale - a.scale).abs() < 1e-12 {
            t
        } else {
            (1.0 / a.scale - 1.0 / scale) / (1.0 / a.scale - 1.0 / b.scale)
        };
        let mut c = *b;
        c.scale = scale;
        c.center = [
            a.center[0] + (b.center[0] - a.center[0]) * w,
            a.center[1] + (b.center[1] - a.center[1]) * w,
        ];
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    fn cam() -> Camera {
        Camera::fitting(
            Rect::new(coord! {x: -500.0, y: -300.0}, coord! {x: 500.0, y: 300.0}),
            [1600, 1000],
            1.0,
            0.0,
        )
    }

    #[test]
    fn screen_world_round_trip() {
        let c = cam();
        for p in [[0.0, 0.0], [800.0, 500.0], [1234.5, 17.25]] {
            let w = c.screen_to_world(p);
            let q = c.world_to_screen(w);
            assert!((q[0] - p[0]).abs() < 1e-9 && (q[1] - p[1]).abs() < 1e-9);
        }
        // y grows down on screen and up in the world.
        assert!(c.screen_to_world([800.0, 0.0])[1] > c.screen_to_world([800.0, 1000.0])[1]);
    }

    #[test]
    fn fit_keeps_centre_and_grows_one_dimension() {
        let c = cam();
        assert_eq!(c.center, [0.0, 0.0]);
        // 1000 km wide into 1600 px = 1.6 px/km; 600 km into 1000 px would be 1.67: width limits.
        assert!((c.scale - 1.6).abs() < 1e-9);
        let v = c.visible_world();
        assert!((v.width() - 1000.0).abs() < 1e-6 && v.height() > 600.0);
    }

    #[test]
    fn zoom_about_keeps_anchor() {
        let mut c = cam();
        let anchor = [1300.0, 200.0];
        let before = c.screen_to_world(anchor);
        c.zoom_about(anchor, 3.7);
        let after = c.world_to_screen(before);
        assert!((after[0] - anchor[0]).abs() < 1e-6 && (after[1] - anchor[1]).abs() < 1e-6);
    }

    #[test]
    fn zoom_is_limited() {
        let mut c = cam();
        c.zoom_about([0.0, 0.0], 1e9);
        assert_eq!(c.scale, c.max_scale);
        c.zoom_about([0.0, 0.0], 1e-12);
        assert_eq!(c.scale, c.min_scale);
    }

    #[test]
    fn pan_moves_points_by_the_drag() {
        let mut c = cam();
        let w = c.screen_to_world([100.0, 100.0]);
        c.pan_pixels(37.0, -12.0);
        let s = c.world_to_screen(w);
        assert!((s[0] - 137.0).abs() < 1e-9 && (s[1] - 88.0).abs() < 1e-9);
    }

    #[test]
    fn lerp_ends_at_targets() {
        let a = cam();
        let mut b = cam();
        b.zoom_about([100.0, 900.0], 8.0);
        assert_eq!(Camera::lerp(&a, &b, 0.0).center, a.center);
        let end = Camera::lerp(&a, &b, 1.0);
        assert!((end.scale - b.scale).abs() < 1e-9 && (end.center[0] - b.center[0]).abs() < 1e-9);
    }
}
