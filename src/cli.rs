//! Command-line arguments (clap). No wgpu, no egui.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::map::layer::LayerKind;
use crate::map::project::ProjectionKind;

#[derive(Parser, Debug)]
#[command(name = "borderlens", version, about = "A map of the South Caucasus with the regions, borders and places a news article mentions.", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the map viewer (the default), with GeoJSON overlays or articles.
    View(ViewArgs),
    /// Draw the map, with GeoJSON files or articles on top, into a PNG.
    Render(RenderArgs),
    /// Describe a map file (any format `view` opens): features by type, extent, vertices, warnings.
    Info(InfoArgs),
    /// Find the countries, regions, borders and places an article mentions; write its overlay.
    Annotate(AnnotateArgs),
    /// Score the geoparser against gold annotations: precision, recall and F1 per kind and id.
    Eval(EvalArgs),
    /// Index a folder of articles and count, for a date range, the articles that mention each
    /// country, region, border and place; optionally draw where the news was.
    Digest(DigestArgs),
    /// Write a deterministic synthetic GeoJSON overlay (for benchmarks and stress tests).
    #[command(hide = true)]
    Synth(SynthArgs),
}

#[derive(Args, Debug)]
pub struct SynthArgs {
    /// Size in MB (10^6 bytes).
    #[arg(long, default_value_t = 10)]
    pub mb: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(short, long)]
    pub output: PathBuf,
}

#[derive(Args, Debug, Default)]
pub struct ViewArgs {
    /// GeoJSON overlays (.geojson/.json) or articles (.txt/.md) to open.
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub projection: ProjectionKind,
    /// Open with no article (no demo).
    #[arg(long)]
    pub no_demo: bool,
    /// Largest file accepted, in MB.
    #[arg(long, default_value_t = 2048)]
    pub max_size: u64,
    /// Window size in logical pixels, WIDTHxHEIGHT.
    #[arg(long, value_parser = parse_size, default_value = "1280x800")]
    pub size: [u32; 2],
    /// Write the current view to this PNG whenever F12/Ctrl+S is pressed (default: borderlens-view.png).
    #[arg(long)]
    pub screenshot: Option<PathBuf>,
    /// Benchmark: measure frame times while the files load, then N frames at their full extent
    /// and N zoomed in 16×; print a table and exit.
    #[arg(long, value_name = "N")]
    pub bench_frames: Option<usize>,
}

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// GeoJSON overlays or articles to draw over the base map.
    pub files: Vec<PathBuf>,
    /// Output PNG, or SVG (vector paths and text) when the name ends in .svg.
    #[arg(short, long, default_value = "map.png")]
    pub output: PathBuf,
    /// Frame the map as a figure: title, legend, scale bar, locator inset and credits (the
    /// default when an article is drawn).
    #[arg(long, conflicts_with = "no_frame")]
    pub frame: bool,
    /// A bare map, even for an article.
    #[arg(long)]
    pub no_frame: bool,
    /// The figure's title instead of the article's headline (implies --frame).
    #[arg(long)]
    pub title: Option<String>,
    /// A figure without its legend.
    #[arg(long)]
    pub no_legend: bool,
    /// A figure without its locator inset.
    #[arg(long)]
    pub no_inset: bool,
    /// A figure without its credits line.
    #[arg(long)]
    pub no_credits: bool,
    /// Output pixels per pixel of --size: the same picture at N times the resolution.
    #[arg(long, default_value_t = 1.0, value_parser = parse_scale)]
    pub scale: f32,
    /// Image size in pixels, WIDTHxHEIGHT.
    #[arg(long, value_parser = parse_size, default_value = "1600x1000")]
    pub size: [u32; 2],
    /// Area to show, as lon/lat W,S,E,N; it is centred and grown in one dimension to the image's shape.
    #[arg(long, value_parser = parse_bbox, allow_hyphen_values = true)]
    pub bbox: Option<[f64; 4]>,
    /// Fit the view to the given files instead of the South Caucasus.
    #[arg(long)]
    pub fit: bool,
    /// Map projection; by default the conic for the region, and for --fit or --bbox one that
    /// suits the extent (Equal Earth for the world).
    #[arg(long, value_enum)]
    pub projection: Option<ProjectionKind>,
    /// Draw only the given files, no base map.
    #[arg(long)]
    pub no_base: bool,
    /// Draw no labels.
    #[arg(long)]
    pub no_labels: bool,
    /// Base layers to leave out, comma-separated: world, seas, countries, provinces, lakes, regions, borders, places.
    #[arg(long, value_delimiter = ',', value_parser = parse_layer_kind)]
    pub hide: Vec<LayerKind>,
    /// Physical pixels per logical pixel (line widths, markers and labels scale with it).
    #[arg(long, default_value_t = 1.0)]
    pub pixel_ratio: f32,
    /// Largest file accepted, in MB.
    #[arg(long, default_value_t = 2048)]
    pub max_size: u64,
}

#[derive(Args, Debug)]
pub struct InfoArgs {
    /// GeoJSON files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[arg(long, default_value_t = 2048)]
    pub max_size: u64,
}

#[derive(Args, Debug)]
pub struct AnnotateArgs {
    /// Article files (.txt, .md, saved .html pages, in any common encoding) or folders of them.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output GeoJSON file (one article) or folder (several); default: beside each article.
    /// A stretch of border the article localises is its own feature (`"part": "stretch"`, with
    /// its `"border"` and the GeoNames ids of the places `"near"` it), the rest of that border
    /// another (`"part": "rest"`).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Print one JSON line per article, in the gold files' shape (with `settlements` and
    /// `border_near`), instead of writing overlays.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct DigestArgs {
    /// The archive: a folder (searched recursively) of .txt/.md articles, RSS/Atom feeds and
    /// JSON Lines files. Its index is kept in DIR/.borderlens-index.sqlite (or the user's cache
    /// folder when DIR cannot be written).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// First day of the range (YYYY-MM-DD, included).
    #[arg(long, value_parser = parse_day_arg)]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the range (YYYY-MM-DD, included).
    #[arg(long, value_parser = parse_day_arg)]
    pub to: Option<chrono::NaiveDate>,
    /// Print the counts as JSON: {"articles": N, "regions": {..}, "borders": {..}, "places": {..}, "countries": {..}}.
    #[arg(long)]
    pub json: bool,
    /// Draw "where the news was" into this PNG.
    #[arg(short, long, value_name = "PNG")]
    pub output: Option<PathBuf>,
    /// Image size in pixels, WIDTHxHEIGHT.
    #[arg(long, value_parser = parse_size, default_value = "1600x1000")]
    pub size: [u32; 2],
    /// Files annotated and committed to the index per transaction.
    #[arg(long, default_value_t = 256, hide = true)]
    pub batch: usize,
}

pub fn parse_day_arg(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|e| format!("{s:?} is not a date like 2024-03-31: {e}"))
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Folder of articles (NNN.txt).
    pub articles: PathBuf,
    /// Folder of gold annotations (NNN.json).
    pub gold: PathBuf,
    /// Exit with status 1 when a kind's F1 is below a threshold: `KIND=F1` (kinds: country,
    /// region, border, place, all). Repeatable: `--min-f1 country=0.95 --min-f1 border=0.9`.
    #[arg(long = "min-f1", value_name = "KIND=F1", value_parser = parse_min_f1)]
    pub min_f1: Vec<(crate::article::eval::EvalKind, f64)>,
}

pub fn parse_min_f1(s: &str) -> Result<(crate::article::eval::EvalKind, f64), String> {
    use crate::article::eval::EvalKind;
    let (k, v) = s
        .split_once('=')
        .ok_or("expected KIND=F1, e.g. border=0.9")?;
    let kind = EvalKind::from_name(k.trim()).ok_or_else(|| {
        let names: Vec<&str> = EvalKind::ALL
            .iter()
            .chain(&[EvalKind::All])
            .map(|k| k.name())
            .collect();
        format!("unknown kind {k:?} (kinds: {})", names.join(", "))
    })?;
    let f1 = v
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|f| (0.0..=1.0).contains(f))
        .ok_or(format!("{v:?} is not an F1 in 0..=1"))?;
    Ok((kind, f1))
}

pub fn parse_size(s: &str) -> Result<[u32; 2], String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or("expected WIDTHxHEIGHT, e.g. 1600x1000")?;
    let p = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|&n| (16..=16384).contains(&n))
            .ok_or(format!("{v:?} is not a size in 16..=16384"))
    };
    Ok([p(w)?, p(h)?])
}

pub fn parse_scale(s: &str) -> Result<f32, String> {
    s.trim()
        .parse::<f32>()
        .ok()
        .filter(|n| (0.25..=16.0).contains(n))
        .ok_or(format!("{s:?} is not a scale in 0.25..=16"))
}

pub fn parse_bbox(s: &str) -> Result<[f64; 4], String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|p| {
            p.trim()
                .parse::<f64>()
                .map_err(|_| format!("{p:?} is not a number"))
        })
        .collect::<Result<_, _>>()?;
    let [w, so, e, n]: [f64; 4] = v
        .try_into()
        .map_err(|_| "expected four numbers W,S,E,N".to_string())?;
    if !(-180.0..=180.0).contains(&w)
        || !(-180.0..=180.0).contains(&e)
        || !(-90.0..=90.0).contains(&so)
        || !(-90.0..=90.0).contains(&n)
        || w >= e
        || so >= n
    {
        return Err("expected W<E in -180..180 and S<N in -90..90".into());
    }
    Ok([w, so, e, n])
}

pub fn parse_layer_kind(s: &str) -> Result<LayerKind, String> {
    use LayerKind::*;
    [
        World, Seas, Countries, Provinces, Lakes, Regions, Borders, Places,
    ]
    .into_iter()
    .find(|k| k.key() == s.trim())
    .ok_or_else(|| format!("unknown layer {s:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes_and_boxes() {
        assert_eq!(parse_size("1600x1000"), Ok([1600, 1000]));
        assert!(parse_size("0x10").is_err());
        assert_eq!(parse_bbox("44,38.5,47,41"), Ok([44.0, 38.5, 47.0, 41.0]));
        assert!(parse_bbox("47,38,44,41").is_err());
        assert!(parse_bbox("1,2,3").is_err());
    }
}
