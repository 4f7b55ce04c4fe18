//! Overlays: a user's file or an article becomes a projected, styled `MapLayer`. An article
//! goes straight from its typed entities to features (no GeoJSON in between) and keeps them on
//! the layer for the article panel; it needs no base map beyond the embedded geometries.

use std::path::Path;

use geo::{BoundingRect, CoordsIter};
use rayon::prelude::*;

use crate::article::{AnnotatedArticle, Article, ArticleError, Gazetteer, Geoparser, World};
use crate::map::entities::article_overlay;
use crate::map::layer::{union, LayerKind, MapLayer};
use crate::map::load::{load_path, Feature, LoadError, LoadedFile, Warning};
use crate::map::project::Projection;
use crate::rect::RectExt;

const MB: u64 = 1 << 20;

/// The sample article `borderlens` opens with, embedded like the base map.
pub const DEMO_ARTICLE: &str = include_str!("../../data/articles/001-iran-azerbaijan-border.txt");

/// Why an overlay could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum OverlayError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Article(#[from] ArticleError),
}

pub fn is_article(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("txt" | "md" | "markdown" | "html" | "htm")
    )
}

/// Loads an overlay file (GeoJSON, or an article that becomes its overlay) into a projected
/// layer; the caller tessellates it (in full, or the level its view needs: `lod`).
pub fn load_overlay(
    path: &Path,
    projection: &Projection,
    max_size_mb: u64,
) -> Result<MapLayer, OverlayError> {
    let layer = if is_article(path) {
        article_file_layer(path, projection)?
    } else {
        let file = load_path(path, max_size_mb.saturating_mul(MB))?;
        // A file whose levels are streamed (see `lod::HOLD_VERTICES`) keeps its coordinates
        // once, projected: a projection switch reads the file again.
        let vertices: usize = file
            .features
            .par_iter()
            .filter_map(|f| f.geometry.as_ref())
            .map(|g| g.coords_count())
            .sum();
        file_layer(
            path,
            file,
            projection,
            vertices <= crate::map::lod::hold_vertices(),
        )
    };
    Ok(layer)
}

/// A loaded file's overlay layer, projected and not yet tessellated; without its lon/lat
/// geometry unless `keep_lonlat` (see [`MapLayer::project_moving`]).
pub fn file_layer(
    path: &Path,
    file: LoadedFile,
    projection: &Projection,
    keep_lonlat: bool,
) -> MapLayer {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut layer = if keep_lonlat {
        MapLayer::project(name, LayerKind::Overlay, file, projection)
    } else {
        MapLayer::project_moving(name, LayerKind::Overlay, file, projection)
    };
    layer.source = Some(path.to_path_buf());
    layer
}

/// An article file as an overlay layer.
pub fn article_file_layer(path: &Path, projection: &Projection) -> Result<MapLayer, OverlayError> {
    let article = Article::from_path(path)?;
    let warnings = article.warnings.clone();
    let mut layer = article_layer(article, projection);
    layer
        .warnings
        .extend(warnings.into_iter().map(|message| Warning {
            feature: None,
            offset: 0,
            line: 0,
            column: 0,
            message,
        }));
    layer.source = Some(path.to_path_buf());
    Ok(layer)
}

/// The demo: the embedded sample article about the Iran–Azerbaijan border.
pub fn demo_layer(projection: &Projection) -> MapLayer {
    article_layer(Article::parse(DEMO_ARTICLE), projection)
}

/// An article's overlay: one feature per entity (settlements and crossings included) and the
/// faint rest of each localised border, tessellated, with the annotated article kept on the
/// layer (entities in feature order).
pub fn article_layer(article: Article, projection: &Projection) -> MapLayer {
    let text = article.annotation_text();
    let open = Geoparser::embedded().annotate_open(&text);
    let overlay = article_overlay(Gazetteer::embedded(), World::embedded(), &text, open);
    let name = article.title.clone().unwrap_or_else(|| {
        article
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "article".into())
    });
    let file = LoadedFile {
        features: overlay.features,
        ..Default::default()
    };
    let mut layer = MapLayer::build(name, LayerKind::Overlay, file, projection);
    layer.article = Some(Box::new(AnnotatedArticle {
        text,
        article,
        entities: overlay.entities,
    }));
    layer
}

/// An article's figure or view shows at least this much across (km), so that a reader sees
/// where a story about one village or crossing is.
pub const MIN_EXTENT_KM: f64 = 150.0;

/// Bounds of what an article is about: the stretches of border it localises and the places
/// they are localised by, when it localises one; otherwise its regions, borders and places;
/// its countries only when it names nothing finer (a story about Iran should not zoom out to
/// all of Iran).
pub fn article_focus(layer: &MapLayer) -> Option<geo::Rect<f64>> {
    let near: Vec<String> = layer
        .features
        .iter()
        .filter(|f| f.prop_str("part") == Some("stretch"))
        .filter_map(|f| f.properties.get("near")?.as_array().cloned())
        .flatten()
        .filter_map(|v| v.as_u64())
        .map(|id| format!("geonames-{id}"))
        .collect();
    let bounds = |keep: &dyn Fn(&Feature) -> bool| {
        layer
            .features
            .iter()
            .zip(layer.projected.iter())
            .filter(|(f, _)| keep(f))
            .filter_map(|(_, g)| g.as_ref()?.bounding_rect())
            .reduce(union)
    };
    let is_country = |f: &Feature| f.prop_str("kind") == Some("country");
    bounds(&|f| {
        f.prop_str("part") == Some("stretch") || f.id.as_ref().is_some_and(|id| near.contains(id))
    })
    .or_else(|| bounds(&|f| !is_country(f) && f.prop_str("part") != Some("rest")))
    .or_else(|| bounds(&is_country))
}

/// The view to open an article at: its [`article_focus`] with a margin, at least
/// [`MIN_EXTENT_KM`] across.
pub fn article_view(layer: &MapLayer) -> Option<geo::Rect<f64>> {
    article_focus(layer).map(|b| b.grown(0.25).at_least(MIN_EXTENT_KM))
}
