//! Bounding-box arithmetic on `geo::Rect`, in one place: union, growing, padding, and boxes
//! built from points or `[west, south, east, north]` arrays. A leaf: imports nothing of the crate.

use geo::{coord, Coord, Rect};

pub trait RectExt: Sized {
    /// The smallest box holding both.
    fn union(&self, other: &Self) -> Self;
    /// Grown by `fraction` of its width and height on every side.
    fn grown(&self, fraction: f64) -> Self;
    /// Grown by `d` (the box's units) on every side.
    fn padded(&self, d: f64) -> Self;
    /// Grown about its centre to at least `d` across in both directions.
    fn at_least(&self, d: f64) -> Self;
    /// `[min x, min y, max x, max y]`.
    fn to_array(&self) -> [f64; 4];
    /// A box from `[min x, min y, max x, max y]`.
    fn from_array(b: [f64; 4]) -> Self;
    /// The box of some points; `None` when there are none.
    fn of_points(points: impl IntoIterator<Item = Coord<f64>>) -> Option<Self>;
    /// Holds `inner`, edges included.
    fn holds(&self, inner: &Self) -> bool;
    /// Shares a point with `other`, edges included.
    fn meets(&self, other: &Self) -> bool;
}

impl RectExt for Rect<f64> {
    fn union(&self, o: &Self) -> Self {
        Rect::new(
            coord! { x: self.min().x.min(o.min().x), y: self.min().y.min(o.min().y) },
            coord! { x: self.max().x.max(o.max().x), y: self.max().y.max(o.max().y) },
        )
    }

    fn grown(&self, fraction: f64) -> Self {
        let (dx, dy) = (self.width() * fraction, self.height() * fraction);
        Rect::new(
            coord! { x: self.min().x - dx, y: self.min().y - dy },
            coord! { x: self.max().x + dx, y: self.max().y + dy },
        )
    }

    fn padded(&self, d: f64) -> Self {
        Rect::new(
            coord! { x: self.min().x - d, y: self.min().y - d },
            coord! { x: self.max().x + d, y: self.max().y + d },
        )
    }

    fn at_least(&self, d: f64) -> Self {
        let c = self.center();
        let (w, h) = (self.width().max(d) / 2.0, self.height().max(d) / 2.0);
        Rect::new(
            coord! { x: c.x - w, y: c.y - h },
            coord! { x: c.x + w, y: c.y + h },
        )
    }

    fn to_array(&self) -> [f64; 4] {
        [self.min().x, self.min().y, self.max().x, self.max().y]
    }

    fn from_array(b: [f64; 4]) -> Self {
        Rect::new(coord! { x: b[0], y: b[1] }, coord! { x: b[2], y: b[3] })
    }

    fn of_points(points: impl IntoIterator<Item = Coord<f64>>) -> Option<Self> {
        let mut b: Option<[f64; 4]> = None;
        for c in points {
            let r = b.get_or_insert([c.x, c.y, c.x, c.y]);
            *r = [r[0].min(c.x), r[1].min(c.y), r[2].max(c.x), r[3].max(c.y)];
        }
        b.map(Self::from_array)
    }

    fn holds(&self, inner: &Self) -> bool {
        self.min().x <= inner.min().x
            && self.min().y <= inner.min().y
            && self.max().x >= inner.max().x
            && self.max().y >= inner.max().y
    }

    fn meets(&self, o: &Self) -> bool {
        self.min().x <= o.max().x
            && o.min().x <= self.max().x
            && self.min().y <= o.max().y
            && o.min().y <= self.max().y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_grow_pad_and_points() {
        let a = Rect::from_array([0.0, 0.0, 2.0, 1.0]);
        let b = Rect::from_array([1.0, -1.0, 3.0, 0.5]);
        assert_eq!(a.union(&b).to_array(), [0.0, -1.0, 3.0, 1.0]);
        assert_eq!(a.grown(0.5).to_array(), [-1.0, -0.5, 3.0, 1.5]);
        assert_eq!(a.padded(1.0).to_array(), [-1.0, -1.0, 3.0, 2.0]);
        assert_eq!(a.at_least(4.0).to_array(), [-1.0, -1.5, 3.0, 2.5]);
        let pts = [coord! {x: 5.0, y: 1.0}, coord! {x: -2.0, y: 4.0}];
        assert_eq!(
            Rect::of_points(pts).map(|r| r.to_array()),
            Some([-2.0, 1.0, 5.0, 4.0])
        );
        assert!(Rect::of_points(std::iter::empty()).is_none());
        assert!(a.padded(1.0).holds(&a) && a.holds(&a) && !a.holds(&b));
        assert!(a.meets(&b) && !a.meets(&Rect::from_array([2.5, 0.0, 3.0, 1.0])));
        assert!(a.meets(&Rect::from_array([2.0, 1.0, 3.0, 2.0])), "a corner");
    }
}
