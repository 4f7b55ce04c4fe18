//! A file's declared coordinate reference system, and its reprojection to WGS84 lon/lat.
//!
//! EPSG codes are looked up in proj4rs's table (crs-definitions); an ESRI or OGC WKT without a
//! code is recognised by its name (UTM zones, Web Mercator) or rebuilt as a PROJ string from its
//! projection and parameters when its datum is WGS84-like. Anything else is refused by the reader.

use geo::{Coord, Geometry, MapCoordsInPlace};
use proj4rs::proj::Proj;

/// A source CRS; `proj` is `None` for WGS84 lon/lat (nothing to do).
#[derive(Debug, Clone)]
pub struct Crs {
    /// How the file named it ("EPSG:32638", a WKT name).
    pub name: String,
    proj: Option<Proj>,
}

impl Crs {
    pub fn wgs84() -> Crs {
        Crs {
            name: "EPSG:4326".into(),
            proj: None,
        }
    }

    pub fn is_wgs84(&self) -> bool {
        self.proj.is_none()
    }

    /// What `info` says about it.
    pub fn describe(&self) -> String {
        if self.is_wgs84() {
            format!("{} (WGS 84 lon/lat)", self.name)
        } else {
            format!("{} (reprojected to WGS 84 lon/lat)", self.name)
        }
    }

    pub fn from_epsg(code: u32) -> Result<Crs, String> {
        // WGS 84 and datums within a metre of it (ETRS89, NAD83, GDA94's geographic CRS).
        if matches!(code, 4326 | 4258 | 4269 | 4283 | 4167 | 4619 | 4148) {
            return Ok(Crs {
                name: format!("EPSG:{code}"),
                proj: None,
            });
        }
        let unknown = || format!("EPSG:{code} is not a coordinate system borderlens knows");
        let code16 = u16::try_from(code).map_err(|_| unknown())?;
        let proj = Proj::from_epsg_code(code16).map_err(|e| match e {
            proj4rs::errors::Error::ProjectionNotFound => unknown(),
            e => format!("EPSG:{code} cannot be used: {e}"),
        })?;
        Ok(Crs {
            name: format!("EPSG:{code}"),
            proj: Some(proj),
        })
    }

    /// The CRS a GeoJSON file of the 2008 specification names in its `crs` member
    /// (`{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}}`; RFC 7946 dropped
    /// it, but GDAL and older tools still write it).
    pub fn from_geojson_name(name: &str) -> Result<Crs, String> {
        let upper = name.trim().to_ascii_uppercase();
        if upper.ends_with("CRS84") || upper.ends_with("CRS:84") {
            return Ok(Crs {
                name: "OGC:CRS84".into(),
                proj: None,
            });
        }
        // urn:ogc:def:crs:EPSG::3857, urn:ogc:def:crs:EPSG:6.6:32638, EPSG:4326,
        // http://www.opengis.net/def/crs/EPSG/0/3857
        let code = upper
            .contains("EPSG")
            .then(|| upper.rsplit([':', '/']).next())
            .flatten()
            .and_then(|c| c.parse::<u32>().ok())
            .ok_or_else(|| {
                format!("\"crs\": {name:?} is not a CRS this reader knows (give the file in WGS 84 lon/lat, as RFC 7946 asks)")
            })?;
        Self::from_epsg(code).map_err(|e| format!("\"crs\": {name}: {e}"))
    }

    /// A CRS from OGC or ESRI WKT (a .prj file, a GeoPackage or FlatGeobuf definition).
    pub fn from_wkt(wkt: &str) -> Result<Crs, String> {
        let wkt = wkt.trim();
        let head: String = wkt.chars().take(60).collect();
        let upper = wkt.to_ascii_uppercase();
        let projected = upper.starts_with("PROJCS") || upper.starts_with("PROJCRS");
        // The code of the whole CRS is its last AUTHORITY (WKT1) / ID (WKT2) at the end.
        if let Some(code) = last_epsg_code(wkt) {
            if projected || code == 4326 {
                return Crs::from_epsg(code).map(|c| c.named(&head, code));
            }
        }
        let name = quoted_after(wkt, 0).unwrap_or_default();
        if let Some(code) = code_from_name(&name) {
            return Crs::from_epsg(code).map(|c| c.named(&name, code));
        }
        if !wgs84_like_datum(&upper) {
            return Err(format!(
                "coordinate system \"{name}\" uses a datum borderlens cannot convert to WGS 84 \
                 (supported: WGS 84, ETRS89, NAD83 and GRS80-based ones, or any EPSG code); \
                 reproject the file to EPSG:4326 first (e.g. ogr2ogr -t_srs EPSG:4326)"
            ));
        }
        if !projected {
            return Ok(Crs { name, proj: None });
        }
        let def = proj_string_from_wkt(&upper).ok_or_else(|| {
            format!(
                "coordinate system \"{name}\" has a projection borderlens does not read; \
                 reproject the file to EPSG:4326 first (e.g. ogr2ogr -t_srs EPSG:4326)"
            )
        })?;
        let proj = Proj::from_proj_string(&def)
            .map_err(|e| format!("coordinate system \"{name}\" ({def}) cannot be used: {e}"))?;
        Ok(Crs {
            name,
            proj: Some(proj),
        })
    }

    fn named(mut self, name: &str, code: u32) -> Crs {
        let short: String = name.chars().take_while(|c| *c != '"').collect();
        self.name = if short.is_empty() || name.starts_with("PROJ") || name.starts_with("GEOG") {
            format!("EPSG:{code}")
        } else {
            format!("EPSG:{code} {short}")
        };
        self
    }

    /// Converts one coordinate to lon/lat degrees.
    pub fn to_lonlat(&self, c: Coord<f64>) -> Result<Coord<f64>, String> {
        let Some(src) = &self.proj else {
            return Ok(c);
        };
        let dst = wgs84_proj();
        let mut p = if src.is_latlong() {
            (c.x.to_radians(), c.y.to_radians(), 0.0)
        } else {
            (c.x, c.y, 0.0)
        };
        proj4rs::transform::transform(src, dst, &mut p)
            .map_err(|e| format!("position ({}, {}) cannot be reprojected: {e}", c.x, c.y))?;
        Ok(Coord {
            x: p.0.to_degrees(),
            y: p.1.to_degrees(),
        })
    }

    /// Reprojects a geometry in place; positions that cannot be converted become NaN, which the
    /// loader's cleaning drops and counts.
    pub fn reproject(&self, g: &mut Geometry<f64>) {
        if self.is_wgs84() {
            return;
        }
        g.map_coords_in_place(|c| {
            self.to_lonlat(c).unwrap_or(Coord {
                x: f64::NAN,
                y: f64::NAN,
            })
        });
    }
}

fn wgs84_proj() -> &'static Proj {
    static P: std::sync::OnceLock<Proj> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs")
            .expect("a constant PROJ string")
    })
}

/// The EPSG code of the last `AUTHORITY["EPSG","n"]` or `ID["EPSG",n]` in a WKT.
fn last_epsg_code(wkt: &str) -> Option<u32> {
    let upper = wkt.to_ascii_uppercase();
    let i = upper
        .rfind("AUTHORITY[\"EPSG\"")
        .or_else(|| upper.rfind("ID[\"EPSG\""))?;
    // Only the outermost authority names the CRS: it must be near the end.
    let rest = &wkt[i..];
    if rest.len() > 80 {
        return None;
    }
    let digits: String = rest
        .split(',')
        .nth(1)?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The first quoted string at or after `from`.
fn quoted_after(s: &str, from: usize) -> Option<String> {
    let rest = s.get(from..)?;
    let a = rest.find('"')?;
    let b = rest[a + 1..].find('"')?;
    Some(rest[a + 1..a + 1 + b].to_string())
}

/// EPSG codes of CRS names that ESRI .prj files give without a code.
fn code_from_name(name: &str) -> Option<u32> {
    let n = name.to_ascii_lowercase().replace([' ', '-', '/'], "_");
    if n.contains("web_mercator")
        || n.contains("pseudo_mercator")
        || n == "popular_visualisation_crs_mercator"
    {
        return Some(3857);
    }
    if n == "gcs_wgs_1984" || n == "wgs_84" || n == "wgs84" {
        return Some(4326);
    }
    let zone = n.strip_prefix("wgs_1984_utm_zone_").or_else(|| {
        n.strip_prefix("wgs_84___utm_zone_")
            .or_else(|| n.strip_prefix("wgs_84_utm_zone_"))
    })?;
    let (num, hemi) = zone.split_at(zone.len().checked_sub(1)?);
    let num: u32 = num.trim_end_matches('_').parse().ok()?;
    if !(1..=60).contains(&num) {
        return None;
    }
    match hemi {
        "n" => Some(32600 + num),
        "s" => Some(32700 + num),
        _ => None,
    }
}

fn wgs84_like_datum(upper_wkt: &str) -> bool {
    [
        "WGS_1984",
        "WGS 84",
        "WGS84",
        "ETRS_1989",
        "ETRS89",
        "EUROPEAN_TERRESTRIAL_REFERENCE_SYSTEM_1989",
        "NORTH_AMERICAN_DATUM_1983",
        "NAD83",
        "GRS 1980",
        "GRS_1980",
        "GRS80",
    ]
    .iter()
    .any(|d| upper_wkt.contains(d))
}

/// A PROJ string for a WKT1 projected CRS on a WGS84-like datum, for the projections that
/// national grids and web maps use.
fn proj_string_from_wkt(upper: &str) -> Option<String> {
    let projection = quoted_after(upper, upper.find("PROJECTION[")?)?;
    let param = |names: &[&str]| -> Option<f64> {
        names.iter().find_map(|n| {
            let key = format!("PARAMETER[\"{n}\"");
            let i = upper.find(&key)? + key.len();
            let rest = &upper[i..];
            rest.trim_start_matches(',')
                .split(']')
                .next()?
                .trim()
                .parse()
                .ok()
        })
    };
    let p = |names: &[&str], default: f64| param(names).unwrap_or(default);
    let lat0 = p(&["LATITUDE_OF_ORIGIN", "LATITUDE_OF_CENTER"], 0.0);
    let lon0 = p(&["CENTRAL_MERIDIAN", "LONGITUDE_OF_CENTER"], 0.0);
    let k = p(&["SCALE_FACTOR"], 1.0);
    let x0 = p(&["FALSE_EASTING"], 0.0);
    let y0 = p(&["FALSE_NORTHING"], 0.0);
    let to_metre = upper
        .rfind("UNIT[")
        .and_then(|i| upper[i..].split(',').nth(1))
        .and_then(|s| s.split(']').next())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .unwrap_or(1.0);
    let common =
        format!("+x_0={x0} +y_0={y0} +ellps=GRS80 +towgs84=0,0,0 +to_meter={to_metre} +no_defs");
    let def = match projection.as_str() {
        "TRANSVERSE_MERCATOR" => {
            format!("+proj=tmerc +lat_0={lat0} +lon_0={lon0} +k={k} {common}")
        }
        "MERCATOR" | "MERCATOR_1SP" | "MERCATOR_2SP" => {
            let lat_ts = p(&["STANDARD_PARALLEL_1"], 0.0);
            format!("+proj=merc +lon_0={lon0} +lat_ts={lat_ts} +k={k} {common}")
        }
        "LAMBERT_CONFORMAL_CONIC"
        | "LAMBERT_CONFORMAL_CONIC_2SP"
        | "LAMBERT_CONFORMAL_CONIC_1SP" => {
            let lat1 = p(&["STANDARD_PARALLEL_1"], lat0);
            let lat2 = p(&["STANDARD_PARALLEL_2"], lat1);
            format!("+proj=lcc +lat_0={lat0} +lon_0={lon0} +lat_1={lat1} +lat_2={lat2} +k_0={k} {common}")
        }
        "ALBERS" | "ALBERS_CONIC_EQUAL_AREA" => {
            let lat1 = p(&["STANDARD_PARALLEL_1"], lat0);
            let lat2 = p(&["STANDARD_PARALLEL_2"], lat1);
            format!("+proj=aea +lat_0={lat0} +lon_0={lon0} +lat_1={lat1} +lat_2={lat2} {common}")
        }
        _ => return None,
    };
    Some(def)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Coord<f64>, lon: f64, lat: f64) {
        assert!(
            (a.x - lon).abs() < 1e-6 && (a.y - lat).abs() < 1e-6,
            "{a:?} != ({lon}, {lat})"
        );
    }

    #[test]
    fn utm_and_web_mercator_match_proj_reference_values() {
        // Reference values from GDAL 3.6 / PROJ 9 (`gdaltransform -s_srs OGC:CRS84 -t_srs EPSG:...`).
        let utm = Crs::from_epsg(32638).unwrap();
        close(
            utm.to_lonlat(Coord {
                x: 500000.0,
                y: 4427757.21873837,
            })
            .unwrap(),
            45.0,
            40.0,
        );
        let off_meridian = Coord {
            x: 426753.269196215,
            y: 4589750.54052128,
        };
        close(utm.to_lonlat(off_meridian).unwrap(), 44.123, 41.456);
        let south = Crs::from_epsg(32737).unwrap();
        close(
            south
                .to_lonlat(Coord {
                    x: 500000.0,
                    y: 10000000.0,
                })
                .unwrap(),
            39.0,
            0.0,
        );
        let merc = Crs::from_epsg(3857).unwrap();
        close(
            merc.to_lonlat(Coord {
                x: 5009377.085697311,
                y: 4865942.279503176,
            })
            .unwrap(),
            45.0,
            40.0,
        );
    }

    #[test]
    fn esri_prj_without_code_is_recognised_by_name_or_parameters() {
        let utm = r#"PROJCS["WGS_1984_UTM_Zone_38N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",45.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        // 45°E 40°N in UTM zone 38N.
        let at_45_40 = |c: &Crs| {
            let p = Coord {
                x: 500000.0,
                y: 4427757.21873837,
            };
            close(c.to_lonlat(p).unwrap(), 45.0, 40.0)
        };
        let c = Crs::from_wkt(utm).unwrap();
        assert_eq!(c.name, "EPSG:32638 WGS_1984_UTM_Zone_38N");
        at_45_40(&c);
        // The same projection under another name goes through its parameters.
        let renamed = utm.replace("WGS_1984_UTM_Zone_38N", "My grid");
        at_45_40(&Crs::from_wkt(&renamed).unwrap());
        assert!(Crs::from_wkt(r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]]"#).unwrap().is_wgs84());
    }

    #[test]
    fn unknown_datum_is_refused_with_advice() {
        let e = Crs::from_wkt(r#"PROJCS["Pulkovo grid",GEOGCS["GCS_Pulkovo_1942",DATUM["D_Pulkovo_1942",SPHEROID["Krassowsky_1940",6378245.0,298.3]]],PROJECTION["Transverse_Mercator"]]"#).unwrap_err();
        assert!(e.contains("datum") && e.contains("EPSG:4326"), "{e}");
        assert!(Crs::from_epsg(99999).unwrap_err().contains("EPSG:99999"));
    }
}
