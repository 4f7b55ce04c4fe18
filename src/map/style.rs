//! Feature properties → drawing style (simplestyle-spec 1.1.0), and the base map's palette.
//! No geometry and no GPU types here.

use serde_json::{Map, Value};

/// An sRGB colour with 8 bits per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parses `#rgb`, `#rrggbb` (the `#` is optional, as many tools omit it).
    pub fn parse(s: &str) -> Option<Rgb> {
        let h = s.trim().trim_start_matches('#');
        let digit = |i: usize, len: usize| u8::from_str_radix(h.get(i..i + len)?, 16).ok();
        match h.len() {
            3 => Some(Rgb(digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
            6 => Some(Rgb(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            _ => None,
        }
    }

    pub fn hex(&self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Linear-light RGBA for the GPU (the render targets are sRGB, so blending happens in linear space).
    pub fn linear(&self, alpha: f32) -> [f32; 4] {
        let f = |c: u8| {
            let c = c as f32 / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        [f(self.0), f(self.1), f(self.2), alpha]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerSize {
    Small,
    Medium,
    Large,
}

impl MarkerSize {
    /// Marker radius in logical pixels.
    pub fn radius_px(self) -> f32 {
        match self {
            MarkerSize::Small => 4.0,
            MarkerSize::Medium => 6.0,
            MarkerSize::Large => 9.0,
        }
    }
}

/// How one feature is drawn. Field names follow simplestyle-spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub fill: Rgb,
    pub fill_opacity: f32,
    pub stroke: Rgb,
    pub stroke_width: f32,
    pub stroke_opacity: f32,
    pub marker_color: Rgb,
    pub marker_size: MarkerSize,
    /// simplestyle `marker-symbol`: a Maki icon or a letter or digit (`mesh::icons`).
    pub marker_symbol: Option<u16>,
    pub title: Option<String>,
    pub description: Option<String>,
}

impl Default for Style {
    /// The defaults of simplestyle-spec 1.1.0.
    fn default() -> Self {
        Style {
            fill: Rgb(0x55, 0x55, 0x55),
            fill_opacity: 0.6,
            stroke: Rgb(0x55, 0x55, 0x55),
            stroke_width: 2.0,
            stroke_opacity: 1.0,
            marker_color: Rgb(0x7e, 0x7e, 0x7e),
            marker_size: MarkerSize::Medium,
            marker_symbol: None,
            title: None,
            description: None,
        }
    }
}

impl Style {
    /// Reads simplestyle properties; unusable values keep the default and give a warning.
    pub fn from_properties(props: &Map<String, Value>) -> (Style, Vec<String>) {
        let mut s = Style::default();
        let mut warnings = Vec::new();
        let mut color = |key: &str, slot: &mut Rgb| {
            if let Some(v) = props.get(key) {
                match v.as_str().and_then(Rgb::parse) {
                    Some(c) => *slot = c,
                    None => warnings.push(format!(
                        "\"{key}\": {v} is not a colour like \"#ff0000\"; using {}",
                        slot.hex()
                    )),
                }
            }
        };
        color("fill", &mut s.fill);
        color("stroke", &mut s.stroke);
        color("marker-color", &mut s.marker_color);
        let mut number = |key: &str, slot: &mut f32, range: std::ops::RangeInclusive<f32>| {
            if let Some(v) = props.get(key) {
                let n = v
                    .as_f64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
                match n {
                    Some(n) if n.is_finite() && range.contains(&(n as f32)) => *slot = n as f32,
                    _ => warnings.push(format!(
                        "\"{key}\": {v} is not a number in {}..={}; using {}",
                        range.start(),
                        range.end(),
                        slot
                    )),
                }
            }
        };
        number("fill-opacity", &mut s.fill_opacity, 0.0..=1.0);
        number("stroke-opacity", &mut s.stroke_opacity, 0.0..=1.0);
        number("stroke-width", &mut s.stroke_width, 0.0..=100.0);
        if let Some(v) = props.get("marker-size") {
            match v.as_str() {
                Some("small") => s.marker_size = MarkerSize::Small,
                Some("medium") => s.marker_size = MarkerSize::Medium,
                Some("large") => s.marker_size = MarkerSize::Large,
                _ => warnings.push(format!(
                    "\"marker-size\": {v} is not small, medium or large; using medium"
                )),
            }
        }
        match props.get("marker-symbol") {
            None | Some(Value::Null) => {}
            Some(Value::String(sym)) if sym.trim().is_empty() => {}
            Some(v) => {
                let sym = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                s.marker_symbol = crate::mesh::icons::id_of(&sym);
                if s.marker_symbol.is_none() {
                    warnings.push(format!(
                        "\"marker-symbol\": {v} is not a Maki icon name, a letter or a digit; drawing a plain marker"
                    ));
                }
            }
        }
        s.title = props
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_owned);
        s.description = props
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        (s, warnings)
    }
}

/// The base map's colours: a muted political-map palette.
pub mod palette {
    use super::Rgb;

    pub const WATER: Rgb = Rgb(0xa9, 0xcf, 0xe8);
    pub const WATER_OUTLINE: Rgb = Rgb(0x6f, 0x9f, 0xc4);
    pub const BACKGROUND: Rgb = Rgb(0xa9, 0xcf, 0xe8);
    pub const BORDER: Rgb = Rgb(0x4a, 0x3b, 0x52);
    pub const REGION: Rgb = Rgb(0xb2, 0x4a, 0x3a);
    pub const PROVINCE: Rgb = Rgb(0x9a, 0x93, 0x88);
    pub const PLACE: Rgb = Rgb(0x30, 0x30, 0x30);
    pub const RIVER: Rgb = Rgb(0x6f, 0x9f, 0xc4);

    /// Fills for countries, chosen by the data's graph colouring (`color_index`) so that no two
    /// neighbours share one.
    pub const COUNTRY: [Rgb; 6] = [
        Rgb(0xf1, 0xe3, 0xb8), // sand
        Rgb(0xd9, 0xe8, 0xc0), // sage
        Rgb(0xf3, 0xcf, 0xc1), // rose
        Rgb(0xe2, 0xd6, 0xec), // lilac
        Rgb(0xf6, 0xe0, 0x9e), // straw
        Rgb(0xcf, 0xe3, 0xe0), // mint
    ];

    /// The six countries of the story get fixed, distinct colours; the rest use the colouring.
    pub fn country(id: &str, color_index: usize) -> Rgb {
        match id {
            "ARM" => Rgb(0xf2, 0xc4, 0x9b),
            "AZE" => Rgb(0xbf, 0xdc, 0xb0),
            "GEO" => Rgb(0xf4, 0xe7, 0xa1),
            "IRN" => Rgb(0xe6, 0xd3, 0xe8),
            "TUR" => Rgb(0xf3, 0xd6, 0xd0),
            "RUS" => Rgb(0xdc, 0xdc, 0xc8),
            _ => COUNTRY[color_index % COUNTRY.len()],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_colours() {
        assert_eq!(Rgb::parse("#ff0000"), Some(Rgb(255, 0, 0)));
        assert_eq!(Rgb::parse("f00"), Some(Rgb(255, 0, 0)));
        assert_eq!(Rgb::parse("#12345"), None);
        assert_eq!(Rgb::parse("#gg0000"), None);
        assert_eq!(Rgb::parse("#é0000"), None);
    }
}
