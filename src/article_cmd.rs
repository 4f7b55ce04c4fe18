//! Article commands: annotate, eval, and articles as overlay layers.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{AnnotateArgs, EvalArgs};
use crate::layer::MapLayer;
use crate::map::Map;

pub fn is_article(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("txt" | "md")
    )
}

pub fn article_layer(path: &Path, _map: &Map) -> Result<MapLayer> {
    anyhow::bail!("{}: articles are not supported yet", path.display())
}

pub fn annotate(_a: AnnotateArgs) -> Result<ExitCode> {
    anyhow::bail!("not yet")
}

pub fn eval(_a: EvalArgs) -> Result<ExitCode> {
    anyhow::bail!("not yet")
}
