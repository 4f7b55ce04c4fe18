//! Parses each feature of a FeatureCollection (split beforehand) into the shape borderlens
//! reads (type, properties as a JSON value, geometry with coordinates of any depth through a
//! visitor, as `map::load::geojson`'s `Coords`) with serde_json, sonic-rs and simd-json, on one
//! thread, three rounds. Run: `cargo run --release -- FILE.geojson`.
use serde::Deserialize;
use std::time::Instant;

#[derive(Deserialize)]
#[allow(dead_code)]
struct Feature {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    properties: Option<serde_json::Value>,
    geometry: Option<Geometry>,
}
#[derive(Deserialize)]
#[allow(dead_code)]
struct Geometry {
    #[serde(rename = "type")]
    kind: String,
    coordinates: C,
}

enum C {
    N(f64),
    L(Vec<C>),
}
impl C {
    fn count(&self) -> usize {
        match self {
            C::N(_) => 1,
            C::L(v) => v.iter().map(C::count).sum(),
        }
    }
}
impl<'de> Deserialize<'de> for C {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<C, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = C;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("coords")
            }
            fn visit_f64<E>(self, v: f64) -> Result<C, E> {
                Ok(C::N(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<C, E> {
                Ok(C::N(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<C, E> {
                Ok(C::N(v as f64))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<C, A::Error> {
                let mut v = Vec::new();
                while let Some(c) = s.next_element()? {
                    v.push(c);
                }
                Ok(C::L(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct Top<'a> {
    #[serde(borrow)]
    features: Vec<&'a serde_json::value::RawValue>,
}

fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let top: Top = serde_json::from_str(&text).unwrap();
    let feats: Vec<&str> = top.features.iter().map(|r| r.get()).collect();
    println!("{} features", feats.len());
    for round in 0..3 {
        let t = Instant::now();
        let mut n = 0usize;
        for f in &feats {
            let x: Feature = serde_json::from_str(f).unwrap();
            n += x.geometry.map_or(0, |g| g.coordinates.count());
        }
        let a = t.elapsed();
        let t = Instant::now();
        let mut m = 0usize;
        for f in &feats {
            let x: Feature = sonic_rs::from_str(f).unwrap();
            m += x.geometry.map_or(0, |g| g.coordinates.count());
        }
        let b = t.elapsed();
        let t = Instant::now();
        let mut k = 0usize;
        let mut buf = Vec::new();
        for f in &feats {
            buf.clear();
            buf.extend_from_slice(f.as_bytes());
            let x: Feature = simd_json::serde::from_slice(&mut buf).unwrap();
            k += x.geometry.map_or(0, |g| g.coordinates.count());
        }
        let c = t.elapsed();
        println!("round {round}: serde_json {a:?} ({n} positions), sonic-rs {b:?} ({m}), simd-json {c:?} ({k}), one thread");
    }
}
