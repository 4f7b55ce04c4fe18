//! Deterministic synthetic GeoJSON overlays for benchmarks and stress tests: jittered polygons
//! and lines over the South Caucasus, written with full f64 precision like desktop GIS exports.

use std::io::Write;

/// SplitMix64: tiny, fast and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.f64()
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct SynthStats {
    pub bytes: u64,
    pub features: u64,
    pub vertices: u64,
}

/// Writes a FeatureCollection of about `target_bytes`: 90 % polygons (some with a hole), 10 %
/// lines, each with a handful of properties and a simplestyle fill.
pub fn write_overlay(
    out: &mut impl Write,
    target_bytes: u64,
    seed: u64,
) -> std::io::Result<SynthStats> {
    let mut rng = Rng::new(seed);
    let mut w = CountingWriter {
        inner: out,
        bytes: 0,
    };
    let mut stats = SynthStats::default();
    w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
    let palette = [
        "#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628",
    ];
    while w.bytes < target_bytes {
        if stats.features > 0 {
            w.write_all(b",\n")?;
        }
        let (cx, cy) = (rng.range(38.0, 51.0), rng.range(37.5, 44.5));
        let n = 16 + (rng.next_u64() % 48) as usize;
        let fill = palette[(rng.next_u64() % palette.len() as u64) as usize];
        write!(w, "{{\"type\":\"Feature\",\"properties\":{{\"name\":\"zone {}\",\"value\":{},\"fill\":\"{}\",\"fill-opacity\":0.5}},\"geometry\":", stats.features, rng.next_u64() % 10_000, fill)?;
        if stats.features % 10 == 9 {
            w.write_all(b"{\"type\":\"LineString\",\"coordinates\":[")?;
            let (mut x, mut y) = (cx, cy);
            for i in 0..n {
                if i > 0 {
                    w.write_all(b",")?;
                }
                write!(w, "[{x},{y}]")?;
                x += rng.range(-0.02, 0.02);
                y += rng.range(-0.02, 0.02);
            }
            w.write_all(b"]}}")?;
            stats.vertices += n as u64;
        } else {
            let r = rng.range(0.02, 0.15);
            w.write_all(b"{\"type\":\"Polygon\",\"coordinates\":[")?;
            stats.vertices += ring(&mut w, &mut rng, cx, cy, r, n)?;
            if stats.features % 4 == 0 {
                w.write_all(b",")?;
                stats.vertices += ring(&mut w, &mut rng, cx, cy, r * 0.3, 8)?;
            }
            w.write_all(b"]}}")?;
        }
        stats.features += 1;
    }
    w.write_all(b"\n]}\n")?;
    stats.bytes = w.bytes;
    Ok(stats)
}

/// A closed star-shaped ring around (cx, cy); returns its vertex count.
fn ring(
    w: &mut impl Write,
    rng: &mut Rng,
    cx: f64,
    cy: f64,
    r: f64,
    n: usize,
) -> std::io::Result<u64> {
    w.write_all(b"[")?;
    let mut first = (0.0, 0.0);
    for i in 0..n {
        let a = i as f64 / n as f64 * std::f64::consts::TAU;
        let rr = r * rng.range(0.6, 1.0);
        let p = (cx + rr * a.cos() * 1.3, cy + rr * a.sin());
        if i == 0 {
            first = p;
        } else {
            w.write_all(b",")?;
        }
        write!(w, "[{},{}]", p.0, p.1)?;
    }
    write!(w, ",[{},{}]]", first.0, first.1)?;
    Ok(n as u64 + 1)
}

struct CountingWriter<'a, W: Write> {
    inner: &'a mut W,
    bytes: u64,
}

impl<W: Write> Write for CountingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_valid() {
        let mut a = Vec::new();
        let s = write_overlay(&mut a, 200_000, 7).unwrap();
        let mut b = Vec::new();
        write_overlay(&mut b, 200_000, 7).unwrap();
        assert_eq!(a, b);
        assert!(s.bytes >= 200_000 && s.bytes as usize == a.len());
        let f = crate::map::load::parse_bytes(&a, "synth").unwrap();
        assert_eq!(f.features.len() as u64, s.features);
        assert!(f.warnings.is_empty());
    }
}
